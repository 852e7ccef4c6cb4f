/*
 * Re-indenting of compact JSON as it streams past.  The output is built
 * compact, so --pretty costs one pass here rather than a second renderer;
 * string contents pass through untouched.
 */
#include "pretty.h"

void
pretty_init(struct pretty *p)
{
	p->depth = 0;
	p->in_string = 0;
	p->escaped = 0;
	p->open = 0;
}

static void
newline(struct buf *out, int depth)
{
	int i;

	buf_addc(out, '\n');
	for (i = 0; i < depth; i++)
		buf_add(out, "  ", 2);
}

static void
pretty_char(struct pretty *p, char c, struct buf *out)
{
	if (p->open) {
		p->open = 0;
		/* An empty container stays on one line: {} and []. */
		if (c == '}' || c == ']') {
			buf_addc(out, c);
			return;
		}
		newline(out, ++p->depth);
	}
	switch (c) {
	case '{':
	case '[':
		buf_addc(out, c);
		p->open = 1;
		break;
	case '}':
	case ']':
		newline(out, --p->depth);
		buf_addc(out, c);
		break;
	case ',':
		buf_addc(out, c);
		newline(out, p->depth);
		break;
	case ':':
		buf_add(out, ": ", 2);
		break;
	case '"':
		p->in_string = 1;
		buf_addc(out, c);
		break;
	default:
		buf_addc(out, c);
		break;
	}
}

void
pretty_feed(struct pretty *p, const char *s, size_t n, struct buf *out)
{
	size_t i, run;

	for (i = 0; i < n; i++) {
		if (!p->in_string) {
			pretty_char(p, s[i], out);
			continue;
		}
		/* Inside a string: copy up to the closing quote at once. */
		for (run = i; run < n; run++) {
			if (p->escaped)
				p->escaped = 0;
			else if (s[run] == '\\')
				p->escaped = 1;
			else if (s[run] == '"')
				break;
		}
		buf_add(out, s + i, run - i);
		if (run < n) {
			buf_addc(out, '"');
			p->in_string = 0;
		}
		i = run;
	}
}
