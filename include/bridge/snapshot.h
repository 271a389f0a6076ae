/*
 * snapshot.h - the immutable, reference-counted bundle a request works with:
 * config, signing keys, compiled rules and the provider state.
 *
 * Reload builds a new snapshot and installs it; requests that began under the
 * old one keep their reference and finish with it.  Taking the current
 * snapshot is one short mutex section, never held across work.
 */
#ifndef BR_SNAPSHOT_H
#define BR_SNAPSHOT_H

#include "bridge/configuration.h"
#include "bridge/error.h"

struct br_keys;
struct br_policy;
struct br_provider;

struct br_snapshot {
	struct br_config *cfg;
	struct br_keys *keys;
	struct br_policy *policy;
	struct br_provider
	        *provider; /* shared with the previous snapshot when [provider] is unchanged */
	unsigned long generation;
	int refs; /* atomic */
};

/* Loads path and builds a snapshot (config, keys, rules).  prev (may be
 * NULL) lends its provider state when the [provider] section is the same,
 * and otherwise serves until the new provider is ready (br_provider_take_over).
 * Returns a new snapshot with one reference, or NULL with err set. */
struct br_snapshot *br_snapshot_build(const char *path, const struct br_snapshot *prev,
                                      struct br_error *err);

/* Installs snap as the current snapshot, stealing the caller's reference;
 * the previous one loses the reference the registry held. */
void br_snapshot_install(struct br_snapshot *snap);

/* A new reference to the current snapshot (NULL before the first install). */
struct br_snapshot *br_snapshot_current(void);

struct br_snapshot *br_snapshot_ref(struct br_snapshot *snap);
void br_snapshot_unref(struct br_snapshot *snap);

#endif
