/* Empty stand-in for autoconf's config.h when building fuzz targets by hand. */
