package leatsandbox

import (
	"encoding/json"
	"errors"
	"net/http"
)

// object is a JSON object on the wire. Leat flattens custom attributes into its resources as extra keys,
// which a map expresses directly.
type object = map[string]any

// PHP serialises an empty meta array as [] on single resources and as {} on plain lists; Leat clients have
// to accept both, so the sandbox really sends both.
var (
	emptyMetaArray  = []any{}
	emptyMetaObject = object{}
)

// reply is a successful Leat answer: {"data": ..., "meta": ...}, plus top-level "links" on Laravel pages.
type reply struct {
	status int
	data   any
	meta   any
	links  any
}

// one answers a single resource.
func one(data any) reply {
	return reply{status: http.StatusOK, data: data, meta: emptyMetaArray}
}

// many answers an unpaginated list.
func many[T any](items []T) reply {
	if items == nil {
		items = []T{} // an empty list is [], never null
	}
	return reply{status: http.StatusOK, data: items, meta: emptyMetaObject}
}

// created answers a resource that Leat reports with 201 (portal sessions, voucher batches).
func created(data any) reply {
	return reply{status: http.StatusCreated, data: data, meta: emptyMetaArray}
}

func writeReply(w http.ResponseWriter, r reply) {
	envelope := struct {
		Data  any `json:"data"`
		Links any `json:"links,omitempty"`
		Meta  any `json:"meta"`
	}{r.data, r.links, r.meta}
	writeJSON(w, r.status, envelope)
}

// writeError answers err, which is an *apiError unless the sandbox itself is broken.
func writeError(w http.ResponseWriter, err error) {
	var apiErr *apiError
	if !errors.As(err, &apiErr) {
		apiErr = transportError(http.StatusInternalServerError, "Server Error")
	}
	writeJSON(w, apiErr.status, apiErr.body())
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	encoder := json.NewEncoder(w)
	encoder.SetEscapeHTML(false)
	_ = encoder.Encode(body) // the client has gone; nothing left to tell it
}
