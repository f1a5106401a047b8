/* Prints the real and effective user ids: run as an unprivileged user, a setuid-root
 * program shows uid=<user> euid=0. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("uidprobe: uid=%d euid=%d\n", (int)getuid(), (int)geteuid());
	return 0;
}
