/*
 * Deep merge of JSON objects.  Items are moved, not copied, so merging a
 * large body costs no second copy of it.
 */
#include "merge.h"

void
merge_objects(cJSON *dst, cJSON *src)
{
	cJSON *item, *old, *child;

	while ((item = src->child) != NULL) {
		cJSON_DetachItemViaPointer(src, item);
		old = cJSON_GetObjectItemCaseSensitive(dst, item->string);
		if (old != NULL && cJSON_IsObject(old) && cJSON_IsObject(item))
			merge_objects(old, item);	/* consumes item */
		else if (old != NULL && cJSON_IsArray(old) &&
		    cJSON_IsArray(item)) {
			while ((child = item->child) != NULL) {
				cJSON_DetachItemViaPointer(item, child);
				cJSON_AddItemToArray(old, child);
			}
			cJSON_Delete(item);
		} else if (old != NULL)
			cJSON_ReplaceItemViaPointer(dst, old, item);
		else
			cJSON_AddItemToObject(dst, item->string, item);
	}
	cJSON_Delete(src);
}
