package dev.fusionnode.publish.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection to an external broker (Eclipse Paho, MQTT 5): content type and user
 * properties on every message, the retained status's last will, TLS with a CA file, user name and
 * password. When the connection fails or drops it is retried with a growing delay ({@link
 * Backoff}); meanwhile the publisher buffers. Paho's callbacks are moved onto the publisher's event
 * loop.
 */
final class ExternalBrokerLink implements MqttLink {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalBrokerLink.class);

    private final Vertx vertx;
    private final MqttOptions options;
    private final OutgoingMessage will;
    private final Backoff backoff;
    private Context context;
    private MqttAsyncClient client;
    private MqttConnectionOptions connectOptions;
    private Runnable onConnected;
    private boolean connected;
    private boolean stopping;
    private int failures;
    private long timerId = -1;
    private List<String> topics = List.of();
    private BiConsumer<String, byte[]> handler;

    /**
     * @param will published by the broker on the node's behalf if the connection dies (retained
     *     status "down")
     */
    ExternalBrokerLink(Vertx vertx, MqttOptions options, OutgoingMessage will) {
        this.vertx = vertx;
        this.options = options;
        this.will = will;
        this.backoff = new Backoff(options.reconnectMinMs(), options.reconnectMaxMs());
    }

    @Override
    public void subscribe(List<String> topics, BiConsumer<String, byte[]> handler) {
        this.topics = List.copyOf(topics);
        this.handler = handler;
    }

    @Override
    public Future<Void> start(Runnable onConnected) {
        this.context = vertx.getOrCreateContext();
        this.onConnected = onConnected;
        try {
            client = new MqttAsyncClient(serverUri(), options.clientId(), new MemoryPersistence());
            connectOptions = connectOptions();
        } catch (MqttException | IOException | GeneralSecurityException e) {
            return Future.failedFuture(
                    new IllegalStateException(
                            "cannot set up the MQTT connection to " + describe() + ": " + e, e));
        }
        client.setCallback(new Callbacks());
        LOG.info("connecting to MQTT broker {} as '{}' (MQTT 5)", describe(), options.clientId());
        connect();
        return Future.succeededFuture();
    }

    private String serverUri() {
        return (options.tls() ? "ssl://" : "tcp://")
                + options.host().orElseThrow()
                + ":"
                + options.port();
    }

    private MqttConnectionOptions connectOptions() throws IOException, GeneralSecurityException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setKeepAliveInterval(options.keepAliveSeconds());
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false); // retried here, with our backoff and buffer
        options.username().ifPresent(o::setUserName);
        options.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        o.setWill(will.topic(), pahoMessage(will));
        MqttProperties willProps = new MqttProperties();
        willProps.setContentType(will.contentType());
        o.setWillMessageProperties(willProps);
        if (options.tls() && options.caFile().isPresent()) {
            o.setSocketFactory(socketFactory(options.caFile().get()));
        }
        return o;
    }

    /** A TLS socket factory trusting the CAs in a PEM file. */
    static SSLSocketFactory socketFactory(Path caFile)
            throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + caFile);
            }
        }
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl.getSocketFactory();
    }

    private void connect() {
        timerId = -1;
        if (stopping) {
            return;
        }
        try {
            client.connect(
                    connectOptions,
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            context.runOnContext(v -> onUp());
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable err) {
                            context.runOnContext(v -> retry("connect failed", err));
                        }
                    });
        } catch (MqttException e) {
            retry("connect failed", e);
        }
    }

    private void onUp() {
        if (stopping) {
            return;
        }
        connected = true;
        backoff.reset();
        if (failures > 0) {
            LOG.info("MQTT broker {} is back after {} failed attempts", describe(), failures);
        } else {
            LOG.info("connected to MQTT broker {}", describe());
        }
        failures = 0;
        subscribeTopics();
        onConnected.run();
    }

    private void subscribeTopics() {
        if (handler == null || topics.isEmpty()) {
            return;
        }
        try {
            MqttSubscription[] subs =
                    topics.stream()
                            .map(t -> new MqttSubscription(t, 1))
                            .toArray(MqttSubscription[]::new);
            client.subscribe(subs);
        } catch (MqttException e) {
            LOG.warn("cannot subscribe to {} at {}: {}", topics, describe(), e.toString());
        }
    }

    private void retry(String what, Throwable err) {
        connected = false;
        if (stopping || timerId >= 0) {
            return;
        }
        long delay = backoff.next();
        failures++;
        if (failures == 1 || failures % 10 == 0) {
            LOG.warn(
                    "MQTT broker {}: {} ({}); retrying in {} ms (attempt {}), masks are buffered meanwhile",
                    describe(),
                    what,
                    err == null ? "no reason given" : err.getMessage(),
                    delay,
                    failures);
        }
        timerId = vertx.setTimer(delay, id -> connect());
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public Future<Void> send(OutgoingMessage m) {
        Promise<Void> done = Promise.promise();
        try {
            client.publish(
                    m.topic(),
                    pahoMessage(m),
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            context.runOnContext(v -> done.tryComplete());
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable err) {
                            context.runOnContext(v -> done.tryFail(err));
                        }
                    });
        } catch (MqttException e) {
            done.tryFail(e);
        }
        return done.future();
    }

    /** The Paho message of {@code m}, with its MQTT 5 properties. */
    static MqttMessage pahoMessage(OutgoingMessage m) {
        MqttMessage msg = new MqttMessage(m.payload());
        msg.setQos(m.qos());
        msg.setRetained(m.retain());
        MqttProperties props = new MqttProperties();
        props.setContentType(m.contentType());
        List<UserProperty> user = new ArrayList<>(m.userProperties().size());
        for (Map.Entry<String, String> e : m.userProperties()) {
            user.add(new UserProperty(e.getKey(), e.getValue()));
        }
        props.setUserProperties(user);
        msg.setProperties(props);
        return msg;
    }

    @Override
    public Future<Void> stop(OutgoingMessage farewell) {
        stopping = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
        if (client == null) {
            return Future.succeededFuture();
        }
        Future<Void> bye = connected ? send(farewell) : Future.succeededFuture();
        connected = false;
        return bye.otherwiseEmpty()
                .compose(
                        v ->
                                vertx.executeBlocking(
                                        () -> {
                                            try {
                                                if (client.isConnected()) {
                                                    client.disconnect(2_000)
                                                            .waitForCompletion(3_000);
                                                }
                                            } catch (MqttException e) {
                                                LOG.debug("MQTT disconnect: {}", e.toString());
                                            } finally {
                                                try {
                                                    client.close(true);
                                                } catch (MqttException e) {
                                                    LOG.debug("MQTT close: {}", e.toString());
                                                }
                                            }
                                            return null;
                                        }));
    }

    @Override
    public String describe() {
        return serverUri();
    }

    @Override
    public String protocol() {
        return "5";
    }

    private final class Callbacks implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            context.runOnContext(
                    v -> {
                        if (!stopping) {
                            retry("connection lost", response.getException());
                        }
                    });
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT broker {} reported an error: {}", describe(), exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (handler != null && topics.contains(topic)) {
                byte[] payload = message.getPayload();
                context.runOnContext(v -> handler.accept(topic, payload));
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
