/*
 * Re-indenting and colouring of compact JSON as it streams past.  The
 * output is built compact, so --pretty and --color cost one pass here
 * rather than a second renderer; string contents pass through untouched.
 * The bytes follow jq 1.6's (jv_dump_term): a value is wrapped in its
 * colour and a reset, and after each member the container's colour is
 * opened again, so that commas and colons wear it.  Numbers are written as
 * they came, not reformatted as jq would.
 */
#include <stdlib.h>
#include <string.h>

#include "pretty.h"
#include "xalloc.h"

#define RESET "\033[0m"

static const char *const default_colors[PRETTY_KINDS] = {
	"0;90", "0;39", "0;39", "0;39", "0;32", "1;39", "1;39", "34;1"
};

static void
color_set(char *seq, const char *spec, size_t len)
{
	seq[0] = '\033';
	seq[1] = '[';
	memcpy(seq + 2, spec, len);
	seq[2 + len] = 'm';
	seq[3 + len] = '\0';
}

void
pretty_colors_default(struct pretty_colors *c)
{
	int i;

	for (i = 0; i < PRETTY_KINDS; i++)
		color_set(c->seq[i], default_colors[i],
		    strlen(default_colors[i]));
}

int
pretty_colors_parse(struct pretty_colors *c, const char *spec)
{
	struct pretty_colors set;
	size_t len;
	int i;

	pretty_colors_default(&set);
	pretty_colors_default(c);
	/* As jq: fields past the eighth are ignored, a missing one kept. */
	for (i = 0; i < PRETTY_KINDS && *spec != '\0'; i++) {
		len = strcspn(spec, ":");
		/* Room for ESC, '[', 'm' and the NUL. */
		if (len > PRETTY_COLOR_LEN - 4 ||
		    strspn(spec, "0123456789;") < len)
			return -1;
		color_set(set.seq[i], spec, len);
		spec += len;
		if (*spec == ':')
			spec++;
	}
	*c = set;
	return 0;
}

void
pretty_init(struct pretty *p, int indent, const struct pretty_colors *colors)
{
	memset(p, 0, sizeof(*p));
	p->indent = indent;
	p->colors = colors;
}

void
pretty_free(struct pretty *p)
{
	if (p == NULL)
		return;
	free(p->stack);
	p->stack = NULL;
	p->depth = p->cap = 0;
}

static void
color(const struct pretty *p, struct buf *out, enum pretty_kind kind)
{
	if (p->colors != NULL)
		buf_adds(out, p->colors->seq[kind]);
}

static void
reset(const struct pretty *p, struct buf *out)
{
	if (p->colors != NULL)
		buf_add(out, RESET, sizeof(RESET) - 1);
}

/* After a member, jq opens its container's colour again. */
static void
member_done(const struct pretty *p, struct buf *out)
{
	if (p->depth > 0)
		color(p, out, p->stack[p->depth - 1] == '{' ?
		    PRETTY_OBJECT : PRETTY_ARRAY);
}

static void
newline(const struct pretty *p, struct buf *out)
{
	static const char spaces[] = "                                ";
	size_t n;

	if (!p->indent)
		return;
	buf_addc(out, '\n');
	for (n = 2 * p->depth; n > 0; n -= n < 32 ? n : 32)
		buf_add(out, spaces, n < 32 ? n : 32);
}

static void
push(struct pretty *p, char c)
{
	if (p->depth == p->cap) {
		p->cap = p->cap == 0 ? 64 : p->cap * 2;
		p->stack = xreallocarray(p->stack, p->cap, 1);
	}
	p->stack[p->depth++] = c;
}

static enum pretty_kind
scalar_kind(char c)
{
	switch (c) {
	case 'n':
		return PRETTY_NULL;
	case 'f':
		return PRETTY_FALSE;
	case 't':
		return PRETTY_TRUE;
	default:
		return PRETTY_NUMBER;
	}
}

static void
container_close(struct pretty *p, char c, struct buf *out)
{
	p->depth--;
	newline(p, out);
	color(p, out, c == '}' ? PRETTY_OBJECT : PRETTY_ARRAY);
	buf_addc(out, c);
	reset(p, out);
	member_done(p, out);
}

static void
pretty_char(struct pretty *p, char c, struct buf *out)
{
	/* A number or a literal ends at the first byte not its own. */
	if (p->in_scalar && (c == ',' || c == ']' || c == '}' || c == '\n')) {
		p->in_scalar = 0;
		reset(p, out);
		member_done(p, out);
	}
	if (p->open) {
		p->open = 0;
		/* An empty container stays on one line: {} and []. */
		if (c == '}' || c == ']') {
			p->depth--;
			p->want_key = 0;
			buf_addc(out, c);
			reset(p, out);
			member_done(p, out);
			return;
		}
		newline(p, out);
	}
	switch (c) {
	case '{':
	case '[':
		color(p, out, c == '{' ? PRETTY_OBJECT : PRETTY_ARRAY);
		buf_addc(out, c);
		push(p, c);
		p->open = 1;
		p->want_key = c == '{';
		break;
	case '}':
	case ']':
		container_close(p, c, out);
		break;
	case ',':
		buf_addc(out, c);
		newline(p, out);
		p->want_key = p->stack[p->depth - 1] == '{';
		break;
	case ':':
		color(p, out, PRETTY_OBJECT);
		buf_add(out, ": ", p->indent ? 2 : 1);
		reset(p, out);
		break;
	case '"':
		if (p->want_key)
			reset(p, out);
		color(p, out, p->want_key ? PRETTY_KEY : PRETTY_STRING);
		buf_addc(out, c);
		p->is_key = p->want_key;
		p->want_key = 0;
		p->in_string = 1;
		break;
	case '\n':
		buf_addc(out, c);	/* between values, as NDJSON has */
		break;
	default:
		if (!p->in_scalar)
			color(p, out, scalar_kind(c));
		p->in_scalar = 1;
		buf_addc(out, c);
		break;
	}
}

/*
 * Copies string bytes at s, up to and with the closing quote, at most max
 * of them; returns how many were taken.
 */
static size_t
pretty_string(struct pretty *p, const char *s, size_t max, struct buf *out)
{
	size_t run;

	for (run = 0; run < max; run++) {
		if (p->escaped)
			p->escaped = 0;
		else if (s[run] == '\\')
			p->escaped = 1;
		else if (s[run] == '"')
			break;
	}
	buf_add(out, s, run);
	if (run == max)
		return run;
	buf_addc(out, '"');
	reset(p, out);
	if (!p->is_key)
		member_done(p, out);
	p->in_string = p->is_key = 0;
	return run + 1;
}

size_t
pretty_feed(struct pretty *p, const char *s, size_t n, struct buf *out,
    size_t room)
{
	size_t i = 0, max;

	while (i < n && out->len < room) {
		if (!p->in_string) {
			pretty_char(p, s[i++], out);
			continue;
		}
		max = room - out->len;
		i += pretty_string(p, s + i, n - i < max ? n - i : max, out);
	}
	return i;
}
