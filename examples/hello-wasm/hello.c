// The hello-wasm example workload: greets, echoes its arguments and the GREETING environment variable.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("Hello from WASM!\n");
    for (int i = 1; i < argc; i++) {
        printf("arg %d: %s\n", i, argv[i]);
    }
    const char *greeting = getenv("GREETING");
    if (greeting != NULL) {
        printf("GREETING=%s\n", greeting);
    }
    return 0;
}
