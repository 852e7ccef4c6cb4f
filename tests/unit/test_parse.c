/* Durations and sizes: every accepted form and every rejection. */
#include <stdint.h>
#include <string.h>

#include "parse.h"
#include "unit.h"

static const struct {
	const char	*in;
	int		 rc;
	int64_t		 want;
	const char	*err;
} durations[] = {
	{ "250ms", 0, 250, NULL },
	{ "2s", 0, 2000, NULL },
	{ "1m30s", 0, 90000, NULL },
	{ "1h", 0, 3600000, NULL },
	{ "1d", 0, 86400000, NULL },
	{ "1h2m3s4ms", 0, 3723004, NULL },
	{ "5", 0, 5000, NULL },
	{ "0", 0, 0, NULL },
	{ "1.5", 0, 1500, NULL },
	{ "0.25s", 0, 250, NULL },
	{ "1.5m", 0, 90000, NULL },
	{ "", -1, 0, "invalid duration" },
	{ "s", -1, 0, "invalid duration" },
	{ "5x", -1, 0, "invalid duration" },
	{ "1m30", -1, 0, "invalid duration" },
	{ "-1s", -1, 0, "invalid duration" },
	{ "1 s", -1, 0, "invalid duration" },
	{ "99999999999d", -1, 0, "too large" },
	{ "99999999999999999999", -1, 0, "invalid duration" },
};

static const struct {
	const char	*in;
	int		 rc;
	int64_t		 want;
} sizes[] = {
	{ "512", 0, 512 },
	{ "64K", 0, 65536 },
	{ "64k", 0, 65536 },
	{ "16M", 0, 16777216 },
	{ "1G", 0, 1073741824 },
	{ "0", 0, 0 },
	{ "", -1, 0 },
	{ "K", -1, 0 },
	{ "12KB", -1, 0 },
	{ "1.5M", -1, 0 },
	{ "-5", -1, 0 },
	{ "10T", -1, 0 },
	{ "99999999999999G", -1, 0 },
};

/* --ttl and a spec's "ttl": a duration, auto, or auto:DEFAULT. */
static const struct {
	const char	*in;
	int		 rc;
	int		 is_auto;
	int64_t		 want;
} ttls[] = {
	{ "10m", 0, 0, 600000 },
	{ "0", 0, 0, 0 },
	{ "auto", 0, 1, 0 },
	{ "auto:10m", 0, 1, 600000 },
	{ "auto:0", 0, 1, 0 },
	{ "auto:", -1, 0, 0 },
	{ "auto:soon", -1, 0, 0 },
	{ "auto:1h:2h", -1, 0, 0 },
	{ "automatic", -1, 0, 0 },
	{ "Auto", -1, 0, 0 },
	{ " auto", -1, 0, 0 },
	{ "", -1, 0, 0 },
};

int
main(void)
{
	const char *err;
	int64_t v;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		v = -1;
		rc = parse_duration(durations[i].in, &v, &err);
		CHECK(rc == durations[i].rc &&
		    (rc != 0 || v == durations[i].want) &&
		    (rc == 0 || strcmp(err, durations[i].err) == 0),
		    "duration '%s' -> rc %d, %lld ms", durations[i].in, rc,
		    (long long)v);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		v = -1;
		rc = parse_size(sizes[i].in, &v, &err);
		CHECK(rc == sizes[i].rc && (rc != 0 || v == sizes[i].want),
		    "size '%s' -> rc %d, %lld bytes", sizes[i].in, rc,
		    (long long)v);
	}
	for (i = 0; i < sizeof(ttls) / sizeof(ttls[0]); i++) {
		int is_auto = -1;

		v = -1;
		rc = parse_ttl(ttls[i].in, &v, &is_auto, &err);
		CHECK(rc == ttls[i].rc && (rc != 0 || (v == ttls[i].want &&
		    is_auto == ttls[i].is_auto && err == NULL)) &&
		    (rc == 0 || strcmp(err, "invalid duration") == 0),
		    "ttl '%s' -> rc %d, auto %d, %lld ms", ttls[i].in, rc,
		    is_auto, (long long)v);
	}
	return unit_done();
}
