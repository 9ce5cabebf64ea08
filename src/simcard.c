/* The scarlett_sim alsa-lib control plugin: a card made from a state file. */

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <alsa/asoundlib.h>
#include <alsa/control_external.h>

#include "simstate.h"

struct simcard {
	snd_ctl_ext_t		 ext;
	struct simstate		*st;
	struct simstate_sub	*sub;
	int			 hardware;	/* writes ignore access */
	int64_t			 vals[512];	/* scratch values */
};

/* Free everything the handle owns. */
static void
simcard_free(struct simcard *sc)
{
	if (sc == NULL)
		return;
	simstate_sub_free(sc->sub);
	simstate_close(sc->st);
	free(sc);
}

static void
simcard_close_cb(snd_ctl_ext_t *ext)
{
	simcard_free(ext->private_data);
}

static int
simcard_elem_count_cb(snd_ctl_ext_t *ext)
{
	struct simcard	*sc = ext->private_data;

	return ((int)simstate_count(sc->st));
}

static int
simcard_elem_list_cb(snd_ctl_ext_t *ext, unsigned int offset,
    snd_ctl_elem_id_t *id)
{
	struct simcard	*sc = ext->private_data;

	if (offset >= simstate_count(sc->st))
		return (-ENOENT);
	simstate_elem_id(sc->st, offset, id);
	return (0);
}

/*
 * Look an element up.  ctl_ext leaves numid 0 after a lookup by name, so
 * a later TLV read by that id would fail with -ENOENT: fill it in here.
 */
static snd_ctl_ext_key_t
simcard_find_elem_cb(snd_ctl_ext_t *ext, const snd_ctl_elem_id_t *id)
{
	struct simcard	*sc = ext->private_data;
	int		 i;

	if ((i = simstate_find(sc->st, id)) < 0)
		return (SND_CTL_EXT_KEY_NOT_FOUND);
	if (snd_ctl_elem_id_get_numid(id) == 0)
		snd_ctl_elem_id_set_numid((snd_ctl_elem_id_t *)id,
		    (unsigned int)i + 1);
	return ((snd_ctl_ext_key_t)i);
}

static int
simcard_get_attribute_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    int *type, unsigned int *acc, unsigned int *count)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	*type = e->type;
	*count = e->count;
	*acc = simstate_access(sc->st, key) & ~SIMSTATE_ACCESS_BUSY;
	if (e->ntlv > 0)
		*acc |= SND_CTL_EXT_ACCESS_TLV_READ |
		    SND_CTL_EXT_ACCESS_TLV_CALLBACK;
	/* ctl_ext checks the write bit itself before calling us. */
	if (sc->hardware)
		*acc |= SND_CTL_EXT_ACCESS_WRITE;
	return (0);
}

static int
simcard_get_integer_info_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    long *imin, long *imax, long *istep)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	*imin = (long)e->min;
	*imax = (long)e->max;
	*istep = (long)e->step;
	return (0);
}

static int
simcard_get_integer64_info_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    int64_t *imin, int64_t *imax, int64_t *istep)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	*imin = e->min;
	*imax = e->max;
	*istep = e->step;
	return (0);
}

static int
simcard_get_enumerated_info_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    unsigned int *items)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	*items = e->nitems;
	return (0);
}

static int
simcard_get_enumerated_name_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    unsigned int item, char *name, size_t len)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;

	if ((e = simstate_elem(sc->st, key)) == NULL || e->nitems == 0)
		return (-ENOENT);
	/* Like the kernel, answer an item past the end with the last one. */
	if (item >= e->nitems)
		item = e->nitems - 1;
	snprintf(name, len, "%s", e->items[item]);
	return (0);
}

/* Read element KEY into the handle's scratch array. */
static int
simcard_fetch(struct simcard *sc, snd_ctl_ext_key_t key,
    const struct simstate_elem **ep)
{
	if ((*ep = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	return (simstate_read(sc->st, key, sc->vals));
}

static int
simcard_read_integer_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    long *value)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;
	unsigned int			 k;
	int				 rv;

	if ((rv = simcard_fetch(sc, key, &e)) < 0)
		return (rv);
	for (k = 0; k < e->count; k++)
		value[k] = (long)sc->vals[k];
	return (0);
}

static int
simcard_read_integer64_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    int64_t *value)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;
	int				 rv;

	if ((rv = simcard_fetch(sc, key, &e)) < 0)
		return (rv);
	memcpy(value, sc->vals, e->count * sizeof(*value));
	return (0);
}

static int
simcard_read_enumerated_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    unsigned int *items)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;
	unsigned int			 k;
	int				 rv;

	if ((rv = simcard_fetch(sc, key, &e)) < 0)
		return (rv);
	for (k = 0; k < e->count; k++)
		items[k] = (unsigned int)sc->vals[k];
	return (0);
}

static int
simcard_read_bytes_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    unsigned char *data, size_t max)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;
	unsigned int			 k;
	int				 rv;

	if ((rv = simcard_fetch(sc, key, &e)) < 0)
		return (rv);
	for (k = 0; k < e->count && k < max; k++)
		data[k] = (unsigned char)sc->vals[k];
	return (0);
}

/* Store the scratch array into element KEY: 1 if changed, 0, or -errno. */
static int
simcard_store(struct simcard *sc, snd_ctl_ext_key_t key)
{
	return (simstate_write(sc->st, key, sc->vals, sc->hardware));
}

static int
simcard_write_integer_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    long *value)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;
	unsigned int			 k;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	for (k = 0; k < e->count; k++)
		sc->vals[k] = value[k];
	return (simcard_store(sc, key));
}

static int
simcard_write_integer64_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    int64_t *value)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	memcpy(sc->vals, value, e->count * sizeof(*value));
	return (simcard_store(sc, key));
}

static int
simcard_write_enumerated_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    unsigned int *items)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;
	unsigned int			 k;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	for (k = 0; k < e->count; k++)
		sc->vals[k] = items[k];
	return (simcard_store(sc, key));
}

static int
simcard_write_bytes_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key,
    unsigned char *data, size_t max)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;
	unsigned int			 k;

	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	if (e->count > max)
		return (-EINVAL);
	for (k = 0; k < e->count; k++)
		sc->vals[k] = data[k];
	return (simcard_store(sc, key));
}

/* Readable events, or an error once the card is unplugged (fault gone). */
static int
simcard_poll_revents_cb(snd_ctl_ext_t *ext, struct pollfd *pfds,
    unsigned int nfds, unsigned short *revents)
{
	struct simcard	*sc = ext->private_data;

	*revents = nfds > 0 ? pfds[0].revents : 0;
	if (simstate_gone(sc->st))
		*revents = POLLERR;
	return (0);
}

static void
simcard_subscribe_events_cb(snd_ctl_ext_t *ext, int subscribe)
{
	struct simcard	*sc = ext->private_data;

	simstate_sub_enable(sc->sub, subscribe);
}

static int
simcard_read_event_cb(snd_ctl_ext_t *ext, snd_ctl_elem_id_t *id,
    unsigned int *event_mask)
{
	struct simcard	*sc = ext->private_data;
	unsigned int	 i, mask;
	int		 rv;

	if ((rv = simstate_sub_read(sc->sub, &i, &mask)) < 0)
		return (rv);
	simstate_elem_id(sc->st, i, id);
	*event_mask = mask;
	return (1);
}

/* One TLV callback serves every element; only reads are supported. */
static int
simcard_tlv_cb(snd_ctl_ext_t *ext, snd_ctl_ext_key_t key, int op_flag,
    unsigned int numid, unsigned int *tlv, unsigned int tlv_size)
{
	struct simcard			*sc = ext->private_data;
	const struct simstate_elem	*e;

	(void)numid;
	if ((e = simstate_elem(sc->st, key)) == NULL)
		return (-ENOENT);
	if (op_flag != 0 || e->ntlv == 0)
		return (-ENXIO);
	if (tlv_size < e->ntlv * sizeof(*tlv))
		return (-ENOMEM);
	memcpy(tlv, e->tlv, e->ntlv * sizeof(*tlv));
	return (0);
}

static const snd_ctl_ext_callback_t simcard_callbacks = {
	.close = simcard_close_cb,
	.elem_count = simcard_elem_count_cb,
	.elem_list = simcard_elem_list_cb,
	.find_elem = simcard_find_elem_cb,
	.get_attribute = simcard_get_attribute_cb,
	.get_integer_info = simcard_get_integer_info_cb,
	.get_integer64_info = simcard_get_integer64_info_cb,
	.get_enumerated_info = simcard_get_enumerated_info_cb,
	.get_enumerated_name = simcard_get_enumerated_name_cb,
	.read_integer = simcard_read_integer_cb,
	.read_integer64 = simcard_read_integer64_cb,
	.read_enumerated = simcard_read_enumerated_cb,
	.read_bytes = simcard_read_bytes_cb,
	.write_integer = simcard_write_integer_cb,
	.write_integer64 = simcard_write_integer64_cb,
	.write_enumerated = simcard_write_enumerated_cb,
	.write_bytes = simcard_write_bytes_cb,
	.subscribe_events = simcard_subscribe_events_cb,
	.read_event = simcard_read_event_cb,
	.poll_revents = simcard_poll_revents_cb,
};

SND_CTL_PLUGIN_DEFINE_FUNC(scarlett_sim);

/* Plugin entry: parse the arguments, load the card, create the handle. */
SND_CTL_PLUGIN_DEFINE_FUNC(scarlett_sim)
{
	snd_config_iterator_t	 i, next;
	snd_config_t		*n;
	struct simcard		*sc;
	const char		*id, *state = NULL, *dir = NULL;
	char			*card = NULL;
	char			 msg[512];
	int			 err, hardware = 0;

	(void)root;
	snd_config_for_each(i, next, conf) {
		n = snd_config_iterator_entry(i);
		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (strcmp(id, "comment") == 0 || strcmp(id, "type") == 0 ||
		    strcmp(id, "hint") == 0)
			continue;
		if (strcmp(id, "state") == 0) {
			if (snd_config_get_string(n, &state) < 0) {
				SNDERR("scarlett_sim: state must be a string");
				err = -EINVAL;
				goto fail;
			}
		} else if (strcmp(id, "dir") == 0) {
			if (snd_config_get_string(n, &dir) < 0) {
				SNDERR("scarlett_sim: dir must be a string");
				err = -EINVAL;
				goto fail;
			}
		} else if (strcmp(id, "card") == 0) {
			free(card);
			if (snd_config_get_ascii(n, &card) < 0) {
				card = NULL;
				SNDERR("scarlett_sim: bad card");
				err = -EINVAL;
				goto fail;
			}
		} else if (strcmp(id, "hardware") == 0) {
			if ((hardware = snd_config_get_bool(n)) < 0) {
				SNDERR("scarlett_sim: hardware must be a "
				    "boolean");
				err = -EINVAL;
				goto fail;
			}
		} else {
			SNDERR("scarlett_sim: unknown field %s", id);
			err = -EINVAL;
			goto fail;
		}
	}
	if (state == NULL) {
		SNDERR("scarlett_sim: no state file given");
		err = -EINVAL;
		goto fail;
	}

	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		err = -ENOMEM;
		goto fail;
	}
	sc->hardware = hardware;
	if ((err = simstate_open(&sc->st, state, card, dir, msg,
	    sizeof(msg))) < 0) {
		SNDERR("scarlett_sim: %s", msg);
		simcard_free(sc);
		goto fail;
	}
	if (simstate_gone(sc->st)) {
		SNDERR("scarlett_sim: the card is unplugged");
		simcard_free(sc);
		err = -ENODEV;
		goto fail;
	}
	if ((err = simstate_sub_create(sc->st, &sc->sub)) < 0) {
		SNDERR("scarlett_sim: event fifo: %s", snd_strerror(err));
		simcard_free(sc);
		goto fail;
	}
	free(card);
	card = NULL;

	sc->ext.version = SND_CTL_EXT_VERSION;
	sc->ext.card_idx = 0;
	snprintf(sc->ext.id, sizeof(sc->ext.id), "%s",
	    simstate_card_id(sc->st));
	snprintf(sc->ext.driver, sizeof(sc->ext.driver), "scarlett-sim");
	snprintf(sc->ext.name, sizeof(sc->ext.name), "%s",
	    simstate_card_name(sc->st));
	snprintf(sc->ext.longname, sizeof(sc->ext.longname), "Simulated %s",
	    simstate_card_name(sc->st));
	snprintf(sc->ext.mixername, sizeof(sc->ext.mixername), "%s",
	    simstate_card_name(sc->st));
	sc->ext.poll_fd = simstate_sub_fd(sc->sub);
	sc->ext.callback = &simcard_callbacks;
	sc->ext.private_data = sc;
	sc->ext.tlv.c = simcard_tlv_cb;

	if ((err = snd_ctl_ext_create(&sc->ext, name, mode)) < 0) {
		simcard_free(sc);
		return (err);
	}
	*handlep = sc->ext.handle;
	return (0);
fail:
	free(card);
	return (err);
}

SND_CTL_PLUGIN_SYMBOL(scarlett_sim);
