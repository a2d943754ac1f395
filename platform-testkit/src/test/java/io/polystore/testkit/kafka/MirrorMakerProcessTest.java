package io.polystore.testkit.kafka;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MirrorMakerProcessTest {

    private static final MirrorMakerProcess.Options THREE_REGIONS = new MirrorMakerProcess.Options(
            new LinkedHashMap<>(Map.of("region-1", "127.0.0.1:19092", "region-2", "127.0.0.1:19192", "region-3", "127.0.0.1:19292")),
            List.of(new MirrorMakerProcess.Flow("region-1", "region-2", List.of("catalog.replication")),
                    new MirrorMakerProcess.Flow("region-1", "region-3", List.of("catalog.replication"))), 1);

    @Test
    void onlyTheAskedFlowsRunEachWithTheReverseHeartbeatsThatShowRecordsFlowing() throws Exception {
        Properties properties = properties(THREE_REGIONS);

        assertThat(properties.getProperty("region-1->region-2.enabled")).isEqualTo("true");
        assertThat(properties.getProperty("region-1->region-3.enabled")).isEqualTo("true");
        assertThat(properties.getProperty("region-2->region-1.enabled")).isNull();
        assertThat(properties.getProperty("emit.heartbeats.enabled")).isEqualTo("false");
        assertThat(properties.getProperty("region-2->region-1.emit.heartbeats.enabled")).isEqualTo("true");
        assertThat(properties.getProperty("region-2.bootstrap.servers")).isEqualTo("127.0.0.1:19192");
        assertThat(properties.getProperty("refresh.topics.interval.seconds")).isEqualTo("2");
        assertThat(properties.getProperty("offset.storage.replication.factor")).isEqualTo("1");
    }

    @Test
    void topicsAreMatchedByTheirExactNames() throws Exception {
        Pattern topics = Pattern.compile(properties(THREE_REGIONS).getProperty("region-1->region-2.topics"));

        assertThat(topics.matcher("catalog.replication").matches()).isTrue();
        assertThat(topics.matcher("catalogXreplication").matches()).isFalse();
    }

    @Test
    void aFlowMustNameKnownClustersAndSomeTopic() {
        assertThatThrownBy(() -> new MirrorMakerProcess.Options(Map.of("region-1", "x:1"),
                List.of(new MirrorMakerProcess.Flow("region-1", "region-9", List.of("t"))), 1))
                .hasMessageContaining("region-9");
        assertThatThrownBy(() -> new MirrorMakerProcess.Flow("region-1", "region-2", List.of()))
                .hasMessageContaining("names no topic");
        assertThat(new MirrorMakerProcess.Flow("region-1", "region-2", List.of("t")).mirrored("catalog.replication"))
                .isEqualTo("region-1.catalog.replication");
    }

    private static Properties properties(MirrorMakerProcess.Options options) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(String.join("\n", MirrorMakerProcess.properties(options))));
        return properties;
    }
}
