using Factory.Plant.Config;

namespace Factory.Plant.Tests.Config;

/// <summary>Runs the loader on inline YAML and returns what it reports.</summary>
internal static class Yaml
{
    public const string File = "plant.yaml";

    /// <summary>One site, area, line, machine and sensor: lines 17 to 23 are the sensor.</summary>
    public const string Smallest = """
        schemaVersion: 1
        machineTypes:
          - { id: pump, kind: centrifugal-pump }
        site:
          id: plant
          areas:
            - id: utilities
              lines:
                - id: line-1
                  edgeNode: edge-1
                  opcUa: { endpoint: opc.tcp://127.0.0.1:4841 }
                  machines:
                    - id: pump-1
                      type: pump
                      criticality: high
                      sensors:
                        - id: temp
                          signal: bearing-temperature
                          nodeId: ns=2;s=line-1.pump-1.temp
                          unit: °C
                          range: { low: 0, high: 150 }
                          samplingIntervalMs: 1000
                          limits: { h: 80, hh: 95 }
        """;

    public static IReadOnlyList<ConfigError> Errors(string yaml)
    {
        try
        {
            PlantConfigLoader.Parse(yaml, File);
        }
        catch (PlantConfigException e)
        {
            return e.Errors;
        }

        return [];
    }
}
