# PSGI wrapper around the LemonLDAP::NG portal for loopback tests.
# The ini file is chosen by LLNG_DEFAULTCONFFILE (set by llng-up).
use strict;
use warnings;
use Plack::Builder;
use Lemonldap::NG::Portal::Main;

my $portal = Lemonldap::NG::Portal::Main->run( {} );
my $htdocs = $ENV{LLNG_HTDOCS} || '/usr/share/lemonldap-ng/portal/htdocs/';

builder {
    enable 'AccessLog', format => 'combined';
    # Styling for a human looking at the demo in a browser.
    enable 'Static', path => qr{^/static/}, root => $htdocs;
    # jQuery, Bootstrap, Font Awesome: Debian's libjs-* packages, which the
    # portal's Apache config serves as /javascript/. Without this each of
    # them is answered with a whole portal page, rendered one by one.
    enable 'Static', path => qr{^/javascript/}, root => '/usr/share/';
    $portal;
};
