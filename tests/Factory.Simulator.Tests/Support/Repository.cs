namespace Factory.Simulator.Tests.Support;

/// <summary>Finds files of the repository (the sample plant, scenarios, the node-opcua peer) from the test's folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string SamplePlant => PathOf("plant-config", "sample-plant.yaml");

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("FACTORY_REPOSITORY") is { Length: > 0 } repository)
        {
            return repository;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Factory.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"The repository (Factory.sln) was not found above {AppContext.BaseDirectory}.");
    }
}
