namespace Factory.Cloud.Storage;

/// <summary>
/// Where and how <see cref="InfluxTelemetryStore"/> reaches InfluxDB (configuration section
/// <see cref="Section"/>). The password is never logged nor shown by <see cref="ToString"/>.
/// </summary>
public sealed record InfluxTelemetryStoreOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Influx";

    /// <summary>The server's HTTP address, e.g. <c>http://127.0.0.1:8086/</c>; its v1 API (<c>/ping</c>, <c>/query</c>, <c>/write</c>) is used.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>The database; created at first use if missing.</summary>
    public string Database { get; init; } = "factory";

    /// <summary>User name when the server has authentication enabled; sent with HTTP basic authentication.</summary>
    public string? User { get; init; }

    /// <summary>The user's password (from configuration or a secret store, never from a command line that others can list).</summary>
    public string? Password { get; init; }

    /// <summary>Points per <c>/write</c> request: larger batches are split. InfluxDB recommends 5,000 to 10,000.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>Write requests of one <c>WriteAsync</c> sent at the same time, at most.</summary>
    public int WriteConcurrency { get; init; } = 3;

    /// <summary>How long one HTTP request may take before it fails as transient.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What is wrong with these options, one message per problem naming the key; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttp && BaseUri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{Section}:{nameof(BaseUri)} '{BaseUri}' must be an absolute http:// or https:// address");
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            problems.Add($"{Section}:{nameof(Database)} must not be empty");
        }

        if (BatchSize is < 1 or > 1_000_000)
        {
            problems.Add($"{Section}:{nameof(BatchSize)} must be 1 to 1000000, not {BatchSize}");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:{nameof(Timeout)} must be positive, not {Timeout}");
        }

        if ((User is null) != (Password is null))
        {
            problems.Add($"{Section}:{nameof(User)} and {Section}:{nameof(Password)} are given together or not at all");
        }

        return problems;
    }

    /// <summary>The options without the password.</summary>
    public override string ToString() =>
        $"InfluxDB {BaseUri} database {Database}{(User is null ? string.Empty : $" as {User}")}, batches of {BatchSize} points, timeout {Timeout.TotalSeconds:0.###} s";
}
