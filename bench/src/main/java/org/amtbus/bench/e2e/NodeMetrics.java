package org.amtbus.bench.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads single values from the node's Prometheus endpoint. */
final class NodeMetrics {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;

    NodeMetrics(String url) {
        this.url = URI.create(url);
    }

    /** The value of the first sample named exactly {@code name} (with or without labels); NaN when absent or unreachable. */
    double value(String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? valueIn(r.body(), name) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    static double valueIn(String text, String name) {
        String label = "";
        int brace = name.indexOf('{');
        if (brace > 0) { // name{label="value"}: the first sample of that name carrying that label
            label = name.substring(brace + 1, name.length() - 1);
            name = name.substring(0, brace);
        }
        for (String line : text.split("\n")) {
            if ((line.startsWith(name + " ") && label.isEmpty()) || (line.startsWith(name + "{") && line.contains(label))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** The gauge as a whole number, -1 when unreadable. */
    long count(String name) {
        double v = value(name);
        return Double.isNaN(v) ? -1 : (long) v;
    }
}
