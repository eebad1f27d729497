namespace Factory.Edge.Tests.Alarms.Support;

/// <summary>Files of the repository the tests read: the sample plant.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string SamplePlant => Path.Combine(Root, "plant-config", "sample-plant.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Factory.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Factory.sln above {AppContext.BaseDirectory}.");
    }
}
