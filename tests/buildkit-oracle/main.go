// Command buildkit-oracle reads Dockerfiles with BuildKit's own parser,
// instruction reader and converter (dockerfile2llb) and prints, per file,
// whether BuildKit rejects it.
//
// Output, one line per argument: "<path>\tok" or "<path>\terror\t<message>".
// Images are "resolved" by a resolver that answers every reference with an
// empty linux/amd64 config, so nothing is pulled: only errors that do not
// depend on a registry or a build context can appear. It is built in GOPATH
// mode against the BuildKit sources Debian ships (see
// .ci/steps/45-buildkit-rejects.sh); it is not part of dlint.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

type offlineResolver struct{}

const emptyConfig = `{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}`

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, digest.FromString(emptyConfig), []byte(emptyConfig), nil
}

func check(ctx context.Context, path string) (err error) {
	// BuildKit versions that lack a check can panic instead (no stage at all).
	defer func() {
		if r := recover(); r != nil {
			if os.Getenv("ORACLE_TRACE") != "" {
				debug.PrintStack()
			}
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	buildContext := llb.Local("context")
	allCaps := pb.Caps.CapSet(pb.Caps.All())
	st, _, _, _, err := dockerfile2llb.Dockerfile2LLB(ctx, data, dockerfile2llb.ConvertOpt{
		MainContext:  &buildContext,
		LLBCaps:      &allCaps,
		MetaResolver: offlineResolver{},
	})
	if err != nil {
		return err
	}
	_, err = st.Marshal(ctx)
	return err
}

func main() {
	ctx := context.Background()
	for _, path := range os.Args[1:] {
		if err := check(ctx, path); err != nil {
			msg := strings.ReplaceAll(err.Error(), "\n", " ")
			fmt.Printf("%s\terror\t%s\n", path, msg)
			continue
		}
		fmt.Printf("%s\tok\n", path)
	}
}
