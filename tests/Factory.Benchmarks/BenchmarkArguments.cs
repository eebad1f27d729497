using System.Globalization;

namespace Factory.Benchmarks;

/// <summary>What the benchmark programs share: their options (<c>--name value</c>), the sample plant, the file system they write to.</summary>
internal static class BenchmarkArguments
{
    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/> when it is not given.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        Text(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>plant-config/sample-plant.yaml of the repository the benchmark runs from.</summary>
    public static string SamplePlant()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "plant-config", "sample-plant.yaml");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"No plant-config/sample-plant.yaml above {AppContext.BaseDirectory}.");
    }

    /// <summary>The file system <paramref name="path"/> is on (its format and mount point), for the record of a benchmark that writes.</summary>
    public static string Filesystem(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var drive = DriveInfo.GetDrives().Where(d => full.StartsWith(d.RootDirectory.FullName, StringComparison.Ordinal)).MaxBy(d => d.RootDirectory.FullName.Length);
            return drive is null ? "file system unknown" : $"{drive.DriveFormat} at {drive.RootDirectory.FullName}";
        }
        catch (IOException)
        {
            return "file system unknown";
        }
    }
}
