package org.amtbus.wsman.message;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The only XML reader in amtbus's WS-Man code: the JDK's StAX with DTDs and external entities switched
 * off, and any document that carries a DOCTYPE or an entity reference refused outright (XXE and entity
 * expansion). Depth, element count and text size are bounded. Thread-safe.
 *
 * <p>Building a StAX reader is most of the cost of parsing a small WS-Man answer, and the JDK's factory is not
 * thread-safe. So each parse borrows a factory from a small pool, and each factory keeps and resets its one
 * reader ({@code reuse-instance}); a factory is used by one thread at a time, with no global lock.
 */
public final class SafeXml {
    public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;
    public static final int MAX_DEPTH = 32;
    public static final int MAX_ELEMENTS = 20_000;
    public static final int MAX_TEXT_CHARS = 64 * 1024;

    /** Factories kept for reuse; more only exist while more threads parse at once. */
    static final int POOL_LIMIT = 64;
    /** The JDK's StAX property that makes a factory reset and hand out its previous reader. */
    private static final String REUSE_INSTANCE = "reuse-instance";
    private static final ConcurrentLinkedQueue<XMLInputFactory> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private SafeXml() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        if (f.isPropertySupported(REUSE_INSTANCE)) {
            f.setProperty(REUSE_INSTANCE, Boolean.TRUE);
        }
        return f;
    }

    public static XmlElement parse(byte[] document) throws WsmanParseException {
        if (document.length > MAX_DOCUMENT_BYTES) {
            throw new WsmanParseException("XML document exceeds " + MAX_DOCUMENT_BYTES + " bytes");
        }
        XMLInputFactory factory = borrow();
        XMLStreamReader r = null;
        boolean clean = false;
        try {
            r = factory.createXMLStreamReader(new ByteArrayInputStream(document));
            Deque<Builder> stack = new ArrayDeque<>();
            XmlElement root = null;
            int elements = 0;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw new WsmanParseException("DOCTYPE is not allowed");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new WsmanParseException("entity references are not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (root != null) {
                            throw new WsmanParseException("content after the root element");
                        }
                        if (++elements > MAX_ELEMENTS) {
                            throw new WsmanParseException("more than " + MAX_ELEMENTS + " elements");
                        }
                        if (stack.size() >= MAX_DEPTH) {
                            throw new WsmanParseException("nesting deeper than " + MAX_DEPTH);
                        }
                        Map<String, String> attrs = new HashMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        stack.push(new Builder(r.getNamespaceURI(), r.getLocalName(), attrs));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        Builder top = stack.peek();
                        if (top != null) {
                            if (top.text.length() + r.getTextLength() > MAX_TEXT_CHARS) {
                                throw new WsmanParseException("text longer than " + MAX_TEXT_CHARS + " characters");
                            }
                            top.text.append(r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        XmlElement done = stack.pop().build();
                        if (stack.isEmpty()) {
                            root = done;
                        } else {
                            stack.peek().children.add(done);
                        }
                    }
                    default -> {
                        // comments, processing instructions, document end: no meaning here
                    }
                }
            }
            if (root == null) {
                throw new WsmanParseException("no root element");
            }
            clean = true;
            return root;
        } catch (XMLStreamException | RuntimeException e) {
            throw new WsmanParseException("malformed XML");
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the in-memory stream
                }
            }
            if (clean) {
                // a reader that failed mid-document is dropped with its factory rather than reset for the next parse
                giveBack(factory);
            }
        }
    }

    private static XMLInputFactory borrow() {
        XMLInputFactory f = POOL.poll();
        if (f == null) {
            return newFactory();
        }
        POOLED.decrementAndGet();
        return f;
    }

    /** A factory whose reader was closed goes back to the pool, unless the pool is full. */
    private static void giveBack(XMLInputFactory factory) {
        if (POOLED.incrementAndGet() <= POOL_LIMIT) {
            POOL.offer(factory);
        } else {
            POOLED.decrementAndGet();
        }
    }

    private static final class Builder {
        final String ns;
        final String name;
        final Map<String, String> attrs;
        final StringBuilder text = new StringBuilder();
        final List<XmlElement> children = new ArrayList<>();

        Builder(String ns, String name, Map<String, String> attrs) {
            this.ns = ns;
            this.name = name;
            this.attrs = attrs;
        }

        XmlElement build() {
            return new XmlElement(ns, name, attrs, text.toString().strip(), children);
        }
    }
}
