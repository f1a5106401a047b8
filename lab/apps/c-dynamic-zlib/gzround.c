/* Compresses a text with zlib, decompresses it again and prints the ratio (libm's
 * round): needs libz at run time. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

int main(void)
{
	const char *text = "dlint lab: dlint lab: dlint lab: dlint lab: dlint lab: dlint lab";
	unsigned char packed[256], unpacked[256];
	uLongf packed_len = sizeof packed, unpacked_len = sizeof unpacked;
	uLong text_len = (uLong)strlen(text) + 1;

	if (compress2(packed, &packed_len, (const Bytef *)text, text_len, 9) != Z_OK)
		return 1;
	if (uncompress(unpacked, &unpacked_len, packed, packed_len) != Z_OK)
		return 1;
	if (unpacked_len != text_len || memcmp(unpacked, text, text_len) != 0)
		return 1;
	printf("gzround: zlib %s round trip ok, %lu -> %lu bytes (%.0f%%)\n", zlibVersion(),
	       (unsigned long)text_len, (unsigned long)packed_len,
	       round(100.0 * packed_len / text_len));
	return 0;
}
