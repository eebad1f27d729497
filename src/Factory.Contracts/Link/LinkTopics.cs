namespace Factory.Contracts.Link;

/// <summary>
/// The MQTT topics between edge and cloud (docs/link.md). The protocol version is the second
/// level, so that an edge and a cloud of different versions never read each other's payloads by
/// mistake: the cloud subscribes to every version, answers the ones it knows and refuses the
/// others on the version-free status topic.
/// </summary>
public static class LinkTopics
{
    /// <summary>The version of the topics and payloads this code speaks.</summary>
    public const int Version = 1;

    public const string Root = "factory";

    /// <summary>Edge to cloud, QoS 1: <see cref="RecordBatch"/>es of one line.</summary>
    public static string Records(string line) => $"{Root}/v{Version}/lines/{line}/records";

    /// <summary>Cloud to edge, QoS 1: <see cref="RecordAcknowledgement"/>s of what the cloud has stored.</summary>
    public static string Acknowledgements(string line) => $"{Root}/v{Version}/lines/{line}/acks";

    /// <summary>Cloud to edge, retained, without a version: <see cref="LinkRefusal"/> when the cloud cannot read what a line sends.</summary>
    public static string Refusals(string line) => $"{Root}/lines/{line}/refusals";

    /// <summary>Cloud to edge, QoS 1: <see cref="LineCommand"/>s, what the portal's users ask the line to do.</summary>
    public static string Commands(string line) => $"{Root}/v{Version}/lines/{line}/commands";

    /// <summary>Edge to cloud, QoS 1: <see cref="LineCommandResult"/>s, the answers to the commands.</summary>
    public static string CommandResults(string line) => $"{Root}/v{Version}/lines/{line}/command-results";

    /// <summary>What the cloud subscribes to for the answers of every line.</summary>
    public static string AllCommandResults => $"{Root}/v{Version}/lines/+/command-results";

    /// <summary>What the cloud subscribes to: the records of every line in every version.</summary>
    public const string AllRecords = Root + "/+/lines/+/records";

    /// <summary>
    /// Splits a records topic into its version and line; false if the topic is not
    /// <c>factory/v{n}/lines/{line}/records</c>.
    /// </summary>
    public static bool TryParseRecords(string topic, out int version, out string line)
    {
        version = 0;
        line = "";
        var parts = topic.Split('/');
        if (parts.Length != 5 || parts[0] != Root || parts[2] != "lines" || parts[4] != "records" || parts[3].Length == 0
            || parts[1].Length < 2 || parts[1][0] != 'v' || !int.TryParse(parts[1].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version))
        {
            return false;
        }

        line = parts[3];
        return true;
    }
}
