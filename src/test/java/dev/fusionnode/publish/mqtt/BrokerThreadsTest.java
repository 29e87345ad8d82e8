package dev.fusionnode.publish.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BrokerThreadsTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(BrokerThreads.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(BrokerThreads.PROPERTY);
        } else {
            System.setProperty(BrokerThreads.PROPERTY, saved);
        }
    }

    @Test
    void halfTheCoresAtLeastOne() {
        assertThat(BrokerThreads.forCores(1)).isEqualTo(1);
        assertThat(BrokerThreads.forCores(2)).isEqualTo(1);
        assertThat(BrokerThreads.forCores(3)).isEqualTo(1);
        assertThat(BrokerThreads.forCores(16)).isEqualTo(8);
    }

    @Test
    void setsNettysDefaultWhenNobodyHas() {
        System.clearProperty(BrokerThreads.PROPERTY);

        String size = BrokerThreads.configure();

        int expected = BrokerThreads.forCores(Runtime.getRuntime().availableProcessors());
        assertThat(size).isEqualTo(Integer.toString(expected));
        assertThat(System.getProperty(BrokerThreads.PROPERTY)).isEqualTo(size);
    }

    @Test
    void leavesTheUsersValue() {
        System.setProperty(BrokerThreads.PROPERTY, "5");

        assertThat(BrokerThreads.configure()).isEqualTo("5");
        assertThat(System.getProperty(BrokerThreads.PROPERTY)).isEqualTo("5");
    }
}
