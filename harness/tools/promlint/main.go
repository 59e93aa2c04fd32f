// promlint: checks Prometheus textfiles with Prometheus's own parser and linter (client_golang's
// promlint over prometheus/common's text parser), as node_exporter's textfile collector would read
// them. Used by the unit test of the chaos run's textfile.
//
//	go run ./harness/tools/promlint FILE...   exit 0 clean, 1 a problem (printed), 2 unreadable
package main

import (
	"fmt"
	"os"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
)

func main() {
	code := 0
	for _, path := range os.Args[1:] {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		problems, err := promlint.New(f).Lint()
		f.Close()
		if err != nil {
			fmt.Printf("%s: not parsed: %v\n", path, err)
			code = 1
		}
		for _, p := range problems {
			fmt.Printf("%s: %s: %s\n", path, p.Metric, p.Text)
			code = 1
		}
	}
	os.Exit(code)
}
