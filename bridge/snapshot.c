/*
 * snapshot.c - building, installing and sharing the current snapshot.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/keys.h"
#include "bridge/provider.h"
#include "bridge/rule.h"
#include "bridge/snapshot.h"

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct br_snapshot *current;
static unsigned long generations;

struct br_snapshot *br_snapshot_build(const char *path, const struct br_snapshot *prev,
                                      struct br_error *err)
{
	struct br_snapshot *snap;

	snap = calloc(1, sizeof(*snap));
	if (snap == NULL) {
		br_error_set(err, BR_E_NOMEM, "out of memory");
		return NULL;
	}
	snap->refs = 1;
	snap->cfg = br_config_load(path, NULL, err);
	if (snap->cfg == NULL)
		goto fail;
	/* Without state_key_file the key is random per process: keep the one
	 * logins in flight were sealed with. */
	if (prev && snap->cfg->state_key_random)
		memcpy(snap->cfg->state_key, prev->cfg->state_key, sizeof(snap->cfg->state_key));
	snap->keys = br_keys_load(snap->cfg, err);
	if (snap->keys == NULL)
		goto fail;
	snap->policy = br_policy_new(&snap->cfg->rules, snap->cfg->path, err);
	if (snap->policy == NULL)
		goto fail;
	if (prev && br_provider_same(prev->cfg, snap->cfg)) {
		snap->provider = br_provider_ref(prev->provider);
	} else {
		snap->provider = br_provider_new(snap->cfg, err);
		if (snap->provider == NULL)
			goto fail;
		/* The running provider serves until the new one is ready. */
		if (prev)
			br_provider_take_over(snap->provider, prev->provider);
	}
	return snap;
fail:
	br_snapshot_unref(snap);
	return NULL;
}

void br_snapshot_install(struct br_snapshot *snap)
{
	struct br_snapshot *old;

	pthread_mutex_lock(&current_lock);
	old = current;
	current = snap;
	snap->generation = ++generations;
	pthread_mutex_unlock(&current_lock);
	br_snapshot_unref(old);
}

struct br_snapshot *br_snapshot_current(void)
{
	struct br_snapshot *snap;

	pthread_mutex_lock(&current_lock);
	snap = current ? br_snapshot_ref(current) : NULL;
	pthread_mutex_unlock(&current_lock);
	return snap;
}

struct br_snapshot *br_snapshot_ref(struct br_snapshot *snap)
{
	__atomic_add_fetch(&snap->refs, 1, __ATOMIC_RELAXED);
	return snap;
}

void br_snapshot_unref(struct br_snapshot *snap)
{
	if (snap == NULL || __atomic_sub_fetch(&snap->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* The provider may outlive this config (shared with the next
	 * snapshot): it copies what it needs from the config it was made for
	 * and never touches another one. */
	br_provider_unref(snap->provider);
	br_policy_free(snap->policy);
	br_keys_free(snap->keys);
	br_config_free(snap->cfg);
	free(snap);
}
