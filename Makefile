# Used by `sam build` (template.yaml: Metadata BuildMethod makefile) to package the function.
# SAM's built-in Maven builder runs `mvn clean install`, which would run the whole test suite, including the
# integration tests that install and start a local OCI registry (aws/aws-sam-cli#1105); the package needs none of it.
# This target builds the shaded jar without tests and lays it out the way Lambda lays out an uploaded jar (extracted
# in the task root), which also starts faster than classes plus lib/ (docs/performance.md).

build-PushGuardFunction:
	./mvnw -B -q package -DskipTests
	cd "$(ARTIFACTS_DIR)" && jar xf "$(CURDIR)/target/ecr-digest-guard.jar"
	rm -rf "$(ARTIFACTS_DIR)/META-INF/maven"

.PHONY: build-PushGuardFunction
