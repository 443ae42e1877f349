package verity.system;

import static io.javalin.http.HandlerType.GET;
import static verity.http.Access.PUBLIC;

import io.javalin.http.Context;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import verity.http.ApiException;
import verity.http.Json;
import verity.http.Route;

/** /openapi.json, Swagger UI at /docs and ReDoc at /redoc, all served from the jar (no internet needed). */
public final class DocsRoutes {
    private static final String TAG = "docs";
    private static final String SWAGGER = "/META-INF/resources/webjars/swagger-ui/5.34.1/";
    private static final String REDOC = "/META-INF/resources/webjars/redoc/2.1.4/bundles/";
    /** The only files /docs/assets serves: a fixed map, so no request path reaches the class path. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", SWAGGER + "swagger-ui.css",
            "swagger-ui-bundle.js", SWAGGER + "swagger-ui-bundle.js",
            "redoc.standalone.js", REDOC + "redoc.standalone.js");

    private final Supplier<Map<String, Object>> openApi;
    private final String title;
    private volatile String openApiJson;

    /** @param openApi builds the document; called once, on first request, when every route is known */
    public DocsRoutes(Supplier<Map<String, Object>> openApi, String title) {
        this.openApi = openApi;
        this.title = title;
    }

    private String openApiJson() {
        if (openApiJson == null) {
            openApiJson = Json.write(openApi.get());
        }
        return openApiJson;
    }

    public List<Route> routes() {
        return List.of(
                Route.at(GET, List.of("/openapi.json"), PUBLIC, TAG, "This API as an OpenAPI 3.1 document",
                        ctx -> ctx.contentType("application/json").result(openApiJson())),
                Route.at(GET, List.of("/docs"), PUBLIC, TAG, "Swagger UI", ctx -> ctx.html(swaggerPage())),
                Route.at(GET, List.of("/redoc"), PUBLIC, TAG, "ReDoc", ctx -> ctx.html(redocPage())),
                Route.at(GET, List.of("/docs/assets/{file}"), PUBLIC, TAG, "Documentation page assets", this::asset));
    }

    private void asset(Context ctx) {
        String resource = ASSETS.get(ctx.pathParam("file"));
        InputStream in = resource == null ? null : DocsRoutes.class.getResourceAsStream(resource);
        if (in == null) {
            throw ApiException.notFound("Not Found");
        }
        ctx.contentType(resource.endsWith(".css") ? "text/css" : "application/javascript");
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.result(in);
    }

    private String swaggerPage() {
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>%s API</title>
                <link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
                <body><div id="swagger-ui"></div>
                <script src="/docs/assets/swagger-ui-bundle.js"></script>
                <script>window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});</script>
                </body></html>
                """.formatted(title);
    }

    private String redocPage() {
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>%s API</title></head>
                <body><redoc spec-url="/openapi.json"></redoc>
                <script src="/docs/assets/redoc.standalone.js"></script>
                </body></html>
                """.formatted(title);
    }
}
