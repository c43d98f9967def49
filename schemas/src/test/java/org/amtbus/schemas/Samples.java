package org.amtbus.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** Test support: the sample payloads under {@code samples/{valid,invalid}/<type>/} and the schema files. */
public final class Samples {
    private Samples() {
    }

    /** One sample file; {@code expectedPointer} is null for valid samples. */
    public record Sample(SchemaType type, Path file, String expectedPointer) {
        public byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return type.typeName() + "/" + file.getFileName();
        }
    }

    public static Stream<Sample> valid() {
        return samples("valid");
    }

    public static Stream<Sample> invalid() {
        return samples("invalid");
    }

    public static Path dir(String kind, SchemaType type) {
        URL url = Samples.class.getClassLoader().getResource("samples/" + kind + "/" + type.typeName());
        if (url == null) {
            throw new IllegalStateException("no samples/" + kind + "/" + type.typeName() + " on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Properties expectations(SchemaType type) {
        Properties expected = new Properties();
        try (Reader reader = Files.newBufferedReader(dir("invalid", type).resolve("expected.properties"))) {
            expected.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return expected;
    }

    /** The parsed schema file of {@code type}. */
    public static JsonNode schema(SchemaType type) {
        try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(type.resource())) {
            return Json.shared().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Stream<Sample> samples(String kind) {
        List<Sample> all = new ArrayList<>();
        for (SchemaType type : SchemaType.values()) {
            Properties expected = kind.equals("invalid") ? expectations(type) : new Properties();
            try (Stream<Path> files = Files.list(dir(kind, type))) {
                files.filter(f -> f.toString().endsWith(".json")).sorted().forEach(f ->
                        all.add(new Sample(type, f, expected.getProperty(f.getFileName().toString()))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.stream();
    }
}
