// flux-bootstrap-s3: an S3-compatible server on gofakes3's in-memory store, for the shared
// Pulumi backend of the landing-zone tests (s3://bucket?endpoint=...). One line per request
// ("METHOD PATH STATUS") goes to the log, so tests count what the backend served.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	bucket := flag.String("bucket", "", "a bucket to create at start")
	accessLog := flag.String("access-log", "", "file that gets one line per request")
	flag.Parse()

	store := s3mem.New()
	if *bucket != "" {
		if err := store.CreateBucket(*bucket); err != nil {
			log.Fatal(err)
		}
	}
	// versioning off: Pulumi's backend never asks for versions, and the store stays small
	handler := gofakes3.New(store, gofakes3.WithoutVersioning(), gofakes3.WithAutoBucket(true)).Server()
	out := os.Stderr
	if *accessLog != "" {
		f, err := os.OpenFile(*accessLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		out = f
	}
	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: 200}
		handler.ServeHTTP(rec, r)
		fmt.Fprintf(out, "%s %s %s %d\n", time.Now().UTC().Format(time.RFC3339Nano), r.Method, r.URL.RequestURI(), rec.status)
	})
	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, logged))
}
