namespace Factory.Plant.Config;

/// <summary>
/// A plant configuration that cannot be used: not found, not YAML, or not valid. Carries every
/// error found, not only the first, so one edit round fixes them all.
/// </summary>
public sealed class PlantConfigException : Exception
{
    public PlantConfigException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors)) => Errors = errors;

    public PlantConfigException()
        : this([])
    {
    }

    public PlantConfigException(string message)
        : base(message) => Errors = [];

    public PlantConfigException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Every error, in document order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors)
    {
        if (errors.Count == 0)
        {
            return "The plant configuration is not valid.";
        }

        var header = errors.Count == 1
            ? $"{errors[0].File} is not a valid plant configuration (1 error):"
            : $"{errors[0].File} is not a valid plant configuration ({errors.Count} errors):";
        return string.Join(Environment.NewLine, errors.Select(e => "  " + e).Prepend(header));
    }
}
