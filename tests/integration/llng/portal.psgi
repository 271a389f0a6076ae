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
    $portal;
};
