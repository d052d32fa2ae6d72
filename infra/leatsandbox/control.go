package leatsandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// The control API lets tests and people steer the sandbox over HTTP. It needs the same bearer token as
// Leat routes and answers plain JSON, not Leat's envelope, so nobody mistakes it for Leat.
func (s *Sandbox) registerControl() {
	s.mux.HandleFunc("GET "+controlRoot+"faults", s.controlled(s.listFaults))
	s.mux.HandleFunc("POST "+controlRoot+"faults", s.controlled(s.addFaults))
	s.mux.HandleFunc("DELETE "+controlRoot+"faults", s.controlled(s.clearFaults))
	s.mux.HandleFunc("GET "+controlRoot+"clock", s.controlled(s.readClock))
	s.mux.HandleFunc("POST "+controlRoot+"clock", s.controlled(s.advanceClock))
	s.mux.HandleFunc("POST "+controlRoot+"reset", s.controlled(s.reset))
	s.mux.HandleFunc("GET "+controlRoot+"emails", s.controlled(s.listEmails))
	s.mux.HandleFunc("GET "+controlRoot+"variants", s.controlled(s.listVariants))
	s.mux.HandleFunc("POST "+controlRoot+"variants", s.controlled(s.chooseVariants))
	s.mux.HandleFunc("GET "+controlRoot+"requests", s.controlled(s.listRequests))
	s.mux.HandleFunc("DELETE "+controlRoot+"requests", s.controlled(s.clearRequests))
}

func (s *Sandbox) controlled(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			writeError(w, errUnauthenticated)
			return
		}
		next(w, r)
	}
}

// GET /_sandbox/faults
func (s *Sandbox) listFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"faults": s.Faults()})
}

// POST /_sandbox/faults: the body is what ParseFaults reads, JSON or the short text form.
func (s *Sandbox) addFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, invalidField("body", "The request body could not be read."))
		return
	}
	faults, err := ParseFaults(string(body))
	if err == nil && len(faults) == 0 {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		writeError(w, invalidField("faults", "The faults could not be read: "+err.Error()))
		return
	}
	for _, f := range faults {
		if err := s.InjectFault(f); err != nil {
			writeError(w, invalidField("faults", err.Error()))
			return
		}
	}
	writeJSON(w, http.StatusCreated, object{"faults": s.Faults()})
}

// DELETE /_sandbox/faults
func (s *Sandbox) clearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	writeJSON(w, http.StatusOK, object{"faults": []Fault{}})
}

// GET /_sandbox/clock
func (s *Sandbox) readClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"now": timestamp(s.clock.Now())})
}

// POST /_sandbox/clock with advance_seconds.
func (s *Sandbox) advanceClock(w http.ResponseWriter, r *http.Request) {
	values, err := readInput(r)
	if err != nil {
		writeError(w, err)
		return
	}
	in := newFields(values)
	seconds := in.requiredInteger("advance_seconds")
	if seconds < 0 {
		in.fail("advance_seconds", "The advance seconds must be at least 0.")
	}
	if err := in.err(); err != nil {
		writeError(w, err)
		return
	}
	s.clock.Advance(time.Duration(seconds) * time.Second)
	s.readClock(w, r)
}

// POST /_sandbox/reset
func (s *Sandbox) reset(w http.ResponseWriter, _ *http.Request) {
	s.Reset()
	writeJSON(w, http.StatusOK, object{"message": "The sandbox is back to its seed."})
}

// GET /_sandbox/emails
func (s *Sandbox) listEmails(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"emails": s.SentEmails()})
}

// GET /_sandbox/variants: the value of each variant, and the values each can take (the default first).
func (s *Sandbox) listVariants(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"variants": s.Variants(), "choices": VariantChoices()})
}

// POST /_sandbox/variants with a JSON object of variant names to values. One bad name or value refuses
// them all.
func (s *Sandbox) chooseVariants(w http.ResponseWriter, r *http.Request) {
	var chosen map[string]string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes)).Decode(&chosen); err != nil {
		writeError(w, invalidField("variants", "The body must be a JSON object of variant names to values."))
		return
	}
	if err := s.variants.set(chosen); err != nil {
		writeError(w, invalidField("variants", err.Error()))
		return
	}
	s.listVariants(w, r)
}

// GET /_sandbox/requests
func (s *Sandbox) listRequests(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, object{"requests": s.Requests()})
}

// DELETE /_sandbox/requests
func (s *Sandbox) clearRequests(w http.ResponseWriter, _ *http.Request) {
	s.ClearRequests()
	writeJSON(w, http.StatusOK, object{"requests": []RequestRecord{}})
}
