package localstack

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// EventSink stands in for EventBridge: it takes PutEvents as the service
// does and keeps every event, for tests to read and `make run` to log.
type EventSink struct {
	log *slog.Logger

	mu     sync.Mutex
	events []PublishedEvent
}

// PublishedEvent is one event put on a bus.
type PublishedEvent struct {
	Bus        string
	Source     string
	DetailType string
	Detail     json.RawMessage
	Resources  []string
	Time       time.Time
}

// Events lists what was published, oldest first.
func (s *EventSink) Events() []PublishedEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]PublishedEvent{}, s.events...)
}

// ServeHTTP answers PutEvents in the service's JSON 1.1 protocol; any other
// action is refused as unknown.
func (s *EventSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if target := r.Header.Get("X-Amz-Target"); target != "AWSEvents.PutEvents" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"UnknownOperationException","message":%q}`, "the local event sink only takes PutEvents, not "+target)
		return
	}
	var in struct {
		Entries []struct {
			EventBusName, Source, DetailType, Detail string
			Resources                                []string
			Time                                     *float64
		}
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"ValidationException","message":%q}`, err.Error())
		return
	}
	type result struct {
		EventID      string `json:"EventId,omitempty"`
		ErrorCode    string `json:"ErrorCode,omitempty"`
		ErrorMessage string `json:"ErrorMessage,omitempty"`
	}
	out := struct {
		Entries          []result
		FailedEntryCount int
	}{}
	s.mu.Lock()
	for _, e := range in.Entries {
		if !json.Valid([]byte(e.Detail)) || e.Source == "" || e.DetailType == "" {
			out.Entries = append(out.Entries, result{ErrorCode: "MalformedDetail", ErrorMessage: "Detail, Source and DetailType are required; Detail is JSON"})
			out.FailedEntryCount++
			continue
		}
		at := time.Now().UTC()
		if e.Time != nil {
			at = time.Unix(0, int64(*e.Time*float64(time.Second))).UTC()
		}
		s.events = append(s.events, PublishedEvent{
			Bus: e.EventBusName, Source: e.Source, DetailType: e.DetailType, Detail: json.RawMessage(e.Detail), Resources: e.Resources, Time: at,
		})
		out.Entries = append(out.Entries, result{EventID: fmt.Sprintf("local-%d", len(s.events))})
		s.log.Info("event published", "bus", e.EventBusName, "detail_type", e.DetailType)
	}
	s.mu.Unlock()
	_ = json.NewEncoder(w).Encode(out)
}
