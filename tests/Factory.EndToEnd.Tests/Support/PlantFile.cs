namespace Factory.EndToEnd.Tests.Support;

/// <summary>The repository's sample plant with its lines' OPC UA endpoints moved to free ports.</summary>
public static class PlantFile
{
    public static async Task<string> WriteAsync(string directory)
    {
        var text = await File.ReadAllTextAsync(RepositoryFile("plant-config/sample-plant.yaml"));
        for (var i = 0; i < 3; i++)
        {
            text = text.Replace($"opc.tcp://127.0.0.1:{4841 + i}", $"opc.tcp://127.0.0.1:{MosquittoProcess.FreePort()}", StringComparison.Ordinal);
        }

        var path = Path.Combine(directory, "plant.yaml");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>A file of the repository (<paramref name="relative"/> to its root), found above the test folder.</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{relative} was not found above the test folder.");
    }
}
