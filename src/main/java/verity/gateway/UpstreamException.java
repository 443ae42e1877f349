package verity.gateway;

import verity.http.ApiException;

/** A model server failed or answered with an error; carries the status Verity answers with. */
public final class UpstreamException extends ApiException {
    public UpstreamException(int status, String detail) {
        super(status, detail);
    }
}
