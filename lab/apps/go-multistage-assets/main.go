// banner prints the text an earlier build stage wrote, read from the working directory at
// run time: a split must carry what `COPY --from` put beside the sources.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

func main() {
	text, err := os.ReadFile("banner.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "banner:", err)
		os.Exit(1)
	}
	fmt.Printf("%s (%s)\n", strings.TrimSpace(string(text)), runtime.Version()[:6])
}
