/*
 * Duration and size parsing.  Hand-written because no library here has
 * these grammars; each is a short loop over <number><unit> pieces.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"

/* Longest duration accepted: 100 years, far beyond any sane option. */
#define DURATION_MAX_MS ((int64_t)100 * 365 * 24 * 3600 * 1000)

struct unit {
	const char	*name;
	int64_t		 ms;
};

static const struct unit duration_units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 3600 * 1000 },
	{ "d", 24 * 3600 * 1000 },
};

/*
 * Reads a decimal number with an optional fraction at *sp, as a whole
 * part and a fraction in millionths.  Returns -1 when there is no digit.
 */
static int
parse_number(const char **sp, int64_t *whole, int64_t *micro)
{
	const char *s = *sp;
	int64_t scale;
	int digits = 0;

	*whole = 0;
	*micro = 0;
	for (; isdigit((unsigned char)*s); s++, digits++) {
		if (*whole > (INT64_MAX - 9) / 10)
			return -1;
		*whole = *whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		s++;
		for (scale = 100000; isdigit((unsigned char)*s); s++) {
			*micro += (*s - '0') * scale;
			scale /= 10;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	*sp = s;
	return 0;
}

static const struct unit *
duration_unit(const char **sp)
{
	const struct unit *u, *best = NULL;
	size_t i, n, bestn = 0;

	/* Longest match first, so "ms" is not read as "m" then "s". */
	for (i = 0; i < sizeof(duration_units) / sizeof(*u); i++) {
		u = &duration_units[i];
		n = strlen(u->name);
		if (strncmp(*sp, u->name, n) == 0 && n > bestn) {
			best = u;
			bestn = n;
		}
	}
	*sp += bestn;
	return best;
}

int
parse_duration(const char *s, int64_t *out, const char **errstr)
{
	const struct unit *u;
	int64_t whole, micro, total = 0;
	int pieces = 0;

	*errstr = "invalid duration";
	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		if (parse_number(&s, &whole, &micro) == -1)
			return -1;
		u = duration_unit(&s);
		if (u == NULL) {
			/* Only a lone bare number may omit its unit. */
			if (pieces > 0 || *s != '\0')
				return -1;
			u = &duration_units[1];
		}
		if (whole > DURATION_MAX_MS / u->ms) {
			*errstr = "too large";
			return -1;
		}
		total += whole * u->ms + micro * u->ms / 1000000;
		if (total > DURATION_MAX_MS) {
			*errstr = "too large";
			return -1;
		}
		pieces++;
	}
	*out = total;
	*errstr = NULL;
	return 0;
}

int
parse_size(const char *s, int64_t *out, const char **errstr)
{
	int64_t n = 0, mult = 1;

	*errstr = "invalid size";
	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (n > (INT64_MAX - 9) / 10) {
			*errstr = "too large";
			return -1;
		}
		n = n * 10 + (*s - '0');
	}
	switch (*s) {
	case '\0':
		break;
	case 'K':
	case 'k':
		mult = (int64_t)1 << 10;
		break;
	case 'M':
	case 'm':
		mult = (int64_t)1 << 20;
		break;
	case 'G':
	case 'g':
		mult = (int64_t)1 << 30;
		break;
	default:
		return -1;
	}
	if (*s != '\0' && s[1] != '\0')
		return -1;
	if (n > INT64_MAX / mult) {
		*errstr = "too large";
		return -1;
	}
	*out = n * mult;
	*errstr = NULL;
	return 0;
}

int
parse_ttl(const char *s, int64_t *out, int *is_auto, const char **errstr)
{
	*is_auto = s != NULL && strncmp(s, "auto", 4) == 0 &&
	    (s[4] == '\0' || s[4] == ':');
	if (!*is_auto)
		return parse_duration(s, out, errstr);
	*out = 0;
	*errstr = NULL;
	return s[4] == ':' ? parse_duration(s + 5, out, errstr) : 0;
}
