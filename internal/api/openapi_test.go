package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
)

// TestOpenAPIMatchesRoutes holds openapi.json to routes.go: the document is
// OpenAPI 3.1, every registered route is described and every described
// operation is registered, every path parameter is declared, and every $ref
// resolves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != Prefix {
		t.Fatalf("servers = %v, want one with url %s", servers, Prefix)
	}

	srv := New(Deps{}).(*server)
	registered := map[string]bool{}
	for _, p := range srv.patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok || !strings.HasPrefix(path, Prefix+"/") {
			t.Fatalf("route %q is not METHOD %s/...", p, Prefix)
		}
		registered[strings.ToLower(method)+" "+strings.TrimPrefix(path, Prefix)] = true
	}

	paths, _ := doc["paths"].(map[string]any)
	described := map[string]bool{}
	methods := []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
	for path, item := range paths {
		item := item.(map[string]any)
		for k, op := range item {
			if !slices.Contains(methods, k) {
				if k != "parameters" && k != "summary" && k != "description" {
					t.Errorf("%s: unexpected key %q", path, k)
				}
				continue
			}
			described[k+" "+path] = true
			checkOperation(t, doc, path, k, item, op.(map[string]any))
		}
	}
	for r := range registered {
		if !described[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for d := range described {
		if !registered[d] {
			t.Errorf("openapi.json describes %s, which routes.go does not register", d)
		}
	}
	checkRefs(t, doc, doc)
}

var pathParamRe = regexp.MustCompile(`\{([^}]+)\}`)

// checkOperation checks that every {param} of path is declared in the path
// item or the operation, that the operation has an id and responses with
// JSON bodies, and that writes with bodies document the body errors.
func checkOperation(t *testing.T, doc map[string]any, path, method string, item, op map[string]any) {
	t.Helper()
	where := method + " " + path
	if id, _ := op["operationId"].(string); id == "" {
		t.Errorf("%s: no operationId", where)
	}
	declared := map[string]bool{}
	for _, list := range []any{item["parameters"], op["parameters"]} {
		ps, _ := list.([]any)
		for _, p := range ps {
			p := resolve(t, doc, p.(map[string]any))
			if p["in"] == "path" {
				declared[p["name"].(string)] = true
				if p["required"] != true {
					t.Errorf("%s: path parameter %v not required", where, p["name"])
				}
			}
		}
	}
	for _, m := range pathParamRe.FindAllStringSubmatch(path, -1) {
		if !declared[m[1]] {
			t.Errorf("%s: path parameter %s not declared", where, m[1])
		}
		delete(declared, m[1])
	}
	for name := range declared {
		t.Errorf("%s: declares path parameter %s that is not in the path", where, name)
	}
	responses, _ := op["responses"].(map[string]any)
	if len(responses) == 0 {
		t.Errorf("%s: no responses", where)
	}
	if _, ok := responses["401"]; !ok {
		t.Errorf("%s: every operation can answer 401 (a bad token)", where)
	}
	for code, r := range responses {
		r := resolve(t, doc, r.(map[string]any))
		content, _ := r["content"].(map[string]any)
		if code == "204" {
			// No Content has no body by definition (DELETE /posts/{id}).
			if len(content) != 0 {
				t.Errorf("%s 204: describes content", where)
			}
			continue
		}
		if _, ok := content["application/json"]; !ok {
			t.Errorf("%s %s: no application/json content", where, code)
		}
	}
	if _, hasBody := op["requestBody"]; hasBody {
		for _, code := range []string{"400", "413", "415", "422"} {
			if _, ok := responses[code]; !ok {
				t.Errorf("%s: takes a body but does not document %s", where, code)
			}
		}
	}
}

// resolve follows a local $ref.
func resolve(t *testing.T, doc, v map[string]any) map[string]any {
	t.Helper()
	ref, ok := v["$ref"].(string)
	if !ok {
		return v
	}
	target := lookup(doc, ref)
	if target == nil {
		t.Fatalf("$ref %s does not resolve", ref)
	}
	return target
}

func lookup(doc map[string]any, ref string) map[string]any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var cur any = doc
	for _, part := range strings.Split(ref[2:], "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(part)]
	}
	m, _ := cur.(map[string]any)
	return m
}

func checkRefs(t *testing.T, doc map[string]any, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok && lookup(doc, ref) == nil {
			t.Errorf("$ref %s does not resolve", ref)
		}
		for _, x := range v {
			checkRefs(t, doc, x)
		}
	case []any:
		for _, x := range v {
			checkRefs(t, doc, x)
		}
	}
}

// TestOpenAPILimits: the limits the document states are the product's.
func TestOpenAPILimits(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	prop := func(schema, name string) map[string]any {
		s := lookup(doc, "#/components/schemas/"+schema+"/properties/"+name)
		if s == nil {
			t.Fatalf("no %s.%s", schema, name)
		}
		return s
	}
	for _, c := range []struct {
		schema, prop string
		want         int
	}{
		{"PostInput", "title", news.MaxTitle},
		{"PostInput", "summary", news.MaxSummary},
		{"PostInput", "body", news.MaxPostBody},
		{"PostInput", "source_name", news.MaxSourceName},
		{"PostInput", "source_url", news.MaxURL},
		{"CommentInput", "body", news.MaxCommentBody},
		{"CommentInput", "name", news.MaxName},
		{"CommentInput", "email", news.MaxEmail},
		{"CommentInput", "website", news.MaxURL},
	} {
		if got := prop(c.schema, c.prop)["maxLength"]; got != float64(c.want) {
			t.Errorf("%s.%s maxLength = %v, want %d", c.schema, c.prop, got, c.want)
		}
	}
	if got := prop("PostInput", "tags")["items"].(map[string]any)["maxLength"]; got != float64(news.MaxTag) {
		t.Errorf("tag maxLength = %v, want %d", got, news.MaxTag)
	}
	limit := func(path string) map[string]any {
		op := lookup(doc, "#/paths/"+strings.ReplaceAll(path, "/", "~1")+"/get")
		for _, p := range op["parameters"].([]any) {
			if p := p.(map[string]any); p["name"] == "limit" {
				return p["schema"].(map[string]any)
			}
		}
		t.Fatalf("%s has no limit", path)
		return nil
	}
	for path, want := range map[string][2]int{"/posts": {defaultPostsLimit, maxPostsLimit}, "/posts/{id}/comments": {defaultCommentsLimit, maxCommentsLimit}} {
		s := limit(path)
		if s["default"] != float64(want[0]) || s["maximum"] != float64(want[1]) {
			t.Errorf("%s limit = %v, want default %d maximum %d", path, s, want[0], want[1])
		}
	}
}

// TestOpenAPIServed: the document is served as JSON at its route.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t, testBase)
	r := e.do(req{Method: "GET", Path: "/api/v1/openapi.json"})
	if r.Status != http.StatusOK || string(r.Body) != string(openAPIDoc) {
		t.Fatalf("status %d, %d bytes", r.Status, len(r.Body))
	}
}
