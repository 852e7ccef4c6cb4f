/*
 * JSON pointer syntax.  Resolution works on the body's text (json.c's
 * json_pointer), so that selected numbers keep every digit.
 */
#include <string.h>

#include "jsonptr.h"

int
jsonptr_valid(const char *p)
{
	if (*p == '\0')
		return 1;
	if (*p != '/')
		return 0;
	for (; *p != '\0'; p++)
		if (*p == '~' && p[1] != '0' && p[1] != '1')
			return 0;
	return 1;
}
