// Package pos serves the reference POS: a till, a back office and an
// operations view in plain HTML, CSS and ES modules that drive only the
// gateway's public API. The local stack serves it next to the API, on the
// same origin, so the pages need no CORS.
package pos

import (
	"embed"
	"io/fs"
	"net/http"
	"os"

	"github.com/leatpos/gateway/infra/repo"
)

//go:embed site
var site embed.FS

// pages maps each page's path to its file.
var pages = map[string]string{
	"/{$}":        "site/till.html",
	"/backoffice": "site/backoffice.html",
	"/ops":        "site/ops.html",
}

// Handler serves the pages, their assets, and the QR code encoder from the
// pinned npm package.
func Handler() (http.Handler, error) {
	assets, err := fs.Sub(site, "site/assets")
	if err != nil {
		return nil, err
	}
	qr, err := repo.Path("infra", "node_modules", "uqr", "dist", "index.mjs")
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(qr); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for path, file := range pages {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			body, err := site.ReadFile(file)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(body)
		})
	}
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assets)))
	mux.HandleFunc("GET /vendor/uqr.mjs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeFile(w, r, qr)
	})
	return mux, nil
}
