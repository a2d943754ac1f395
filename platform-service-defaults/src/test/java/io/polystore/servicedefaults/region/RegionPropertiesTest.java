package io.polystore.servicedefaults.region;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class RegionPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withConfiguration(UserConfigurations.of(RegionDefaults.class));

    @Test
    void aRegionWithoutACatalogRegionWritesTheCatalogItself() {
        context.withPropertyValues("polystore.region.name=eu-west").run(started -> {
            RegionProperties region = started.getBean(RegionProperties.class);
            assertThat(region.catalogRegion()).isEqualTo("eu-west");
            assertThat(region.writesCatalog()).isTrue();
        });
    }

    @Test
    void aRegionWhoseCatalogIsWrittenElsewhereHoldsAReplica() {
        context.withPropertyValues("polystore.region.name=us-east", "polystore.region.catalog-region=eu-west")
                .run(started -> assertThat(started.getBean(RegionProperties.class).writesCatalog()).isFalse());
    }

    @Test
    void aNameThatCannotBeATopicPrefixStopsTheStartWithTheRule() {
        context.withPropertyValues("polystore.region.name=EU West").run(started -> assertThat(started)
                .getFailure().rootCause().hasMessageContaining("polystore.region.name")
                .hasMessageContaining("lower-case letters, digits or hyphens"));
    }

    @Test
    void peersAreTheOtherRegionsNoneByDefault() {
        context.withPropertyValues("polystore.region.name=eu-west").run(started ->
                assertThat(started.getBean(RegionProperties.class).peers()).isEmpty());
        context.withPropertyValues("polystore.region.name=eu-west", "polystore.region.peers=us-east,ap-south")
                .run(started -> {
                    RegionProperties region = started.getBean(RegionProperties.class);
                    assertThat(region.peers()).containsExactly("us-east", "ap-south");
                    assertThat(region.isPeer("us-east")).isTrue();
                    assertThat(region.isPeer("eu-west")).isFalse();
                });
    }

    @Test
    void aPeerThatIsTheRegionItselfOrNoValidNameStopsTheStart() {
        context.withPropertyValues("polystore.region.name=eu-west", "polystore.region.peers=us-east,eu-west")
                .run(started -> assertThat(started).getFailure().rootCause().hasMessageContaining("eu-west, this region itself"));
        context.withPropertyValues("polystore.region.name=eu-west", "polystore.region.peers=US East")
                .run(started -> assertThat(started).getFailure().rootCause()
                        .hasMessageContaining("lower-case letters, digits or hyphens"));
    }

    @Test
    void everyResponseNamesTheRegion() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new RegionHeaderFilter("eu-west").doFilter(new MockHttpServletRequest("GET", "/products"), response,
                (request, servletResponse) -> { });
        assertThat(response.getHeader(RegionHeaderFilter.HEADER)).isEqualTo("eu-west");
    }

    @Test
    void gatewaysAreOptionalAndTheOtherRegionsAreThoseNotThisOne() {
        context.withPropertyValues("polystore.region.name=eu-west").run(started -> {
            RegionProperties region = started.getBean(RegionProperties.class);
            assertThat(region.gateways()).isEmpty();
            assertThat(region.gatewayOf("us-east")).isEmpty();
        });
        context.withPropertyValues("polystore.region.name=eu-west",
                        "polystore.region.gateways.eu-west=https://eu.shop.example",
                        "polystore.region.gateways.us-east=http://localhost:8180")
                .run(started -> {
                    RegionProperties region = started.getBean(RegionProperties.class);
                    assertThat(region.otherGateways()).containsOnlyKeys("us-east");
                    assertThat(region.gatewayOf("us-east")).contains(java.net.URI.create("http://localhost:8180"));
                    assertThat(region.gatewayOf("eu-west")).as("never forwarded to itself").isEmpty();
                    assertThat(region.gatewayOf("ap-south")).isEmpty();
                });
    }

    @Test
    void aGatewayThatIsNoRegionOrNoAbsoluteHttpUrlStopsTheStart() {
        context.withPropertyValues("polystore.region.name=eu-west", "polystore.region.gateways.US=http://us.example")
                .run(started -> assertThat(started).getFailure().rootCause()
                        .hasMessageContaining("polystore.region.gateways").hasMessageContaining("no region name"));
        for (String url : new String[]{"/relative", "ftp://us.example", "http://us.example?x=1"}) {
            context.withPropertyValues("polystore.region.name=eu-west", "polystore.region.gateways.us-east=" + url)
                    .run(started -> assertThat(started).getFailure().rootCause()
                            .hasMessageContaining("polystore.region.gateways.us-east must be an absolute http"));
        }
    }

    /** As the chart passes them: one variable per region, named as the property itself (keys with hyphens). */
    @Test
    void gatewaysAreReadFromVariablesNamedAsTheProperty() {
        var environment = new org.springframework.core.env.StandardEnvironment();
        environment.getPropertySources().addFirst(new org.springframework.core.env.SystemEnvironmentPropertySource(
                "systemEnvironment-test", java.util.Map.of("POLYSTORE_REGION_NAME", "us-east",
                "polystore.region.gateways.eu-west", "https://eu.shop.example")));
        RegionProperties region = org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bindOrCreate("polystore.region", RegionProperties.class);

        assertThat(region.name()).isEqualTo("us-east");
        assertThat(region.gatewayOf("eu-west")).contains(java.net.URI.create("https://eu.shop.example"));
    }
}
