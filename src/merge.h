/*
 * --merge: arrays concatenated, objects merged deeply (later values win on
 * conflicts; arrays inside objects are concatenated).  Pure tree work on
 * cJSON; the order and the output are output.c's.
 */
#ifndef GATHER_MERGE_H
#define GATHER_MERGE_H

#include <cjson/cJSON.h>

/*
 * Merges src into dst, both objects: src is consumed (its items move into
 * dst or are freed).
 */
void	merge_objects(cJSON *, cJSON *);

#endif
