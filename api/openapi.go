package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDoc documents every route (OpenAPI 3.1). It is written by hand;
// TestOpenAPIMatchesRoutes checks that it lists exactly the routes the
// server has, with the roles each allows.
//
//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json", openAPIDoc)
	return nil
}
