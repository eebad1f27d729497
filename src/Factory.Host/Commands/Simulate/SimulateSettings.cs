using System.ComponentModel;
using System.Globalization;
using Factory.Simulator.Faults;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Commands.Simulate;

/// <summary>What every simulation of the plant takes: the configuration, scripted faults, the seed, the start.</summary>
public class PlantSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("The plant configuration (default: plant-config/sample-plant.yaml, looked for from the current folder up)")]
    public string? Config { get; init; }

    [CommandOption("--scenario <FILE>")]
    [Description("A fault scenario file (plant-config/scenarios/*.yaml); may be given more than once")]
    public string[] Scenarios { get; init; } = [];

    [CommandOption("--fault <SPEC>")]
    [Description("A fault: <line>/<machine>:<process>:start=<duration>:fail=<duration>, e.g. line-1/cnc-01:bearing-wear:start=2m:fail=20m (simulated time; fail counts from the start of the fault); may be given more than once")]
    public string[] Faults { get; init; } = [];

    [CommandOption("--seed <N>")]
    [Description("All randomness (lifetimes, operation, noise) comes from this seed")]
    [DefaultValue(1UL)]
    public ulong Seed { get; init; } = 1;

    [CommandOption("--start <UTC>")]
    [Description("Simulated time at the start, e.g. 2026-01-05T06:00:00Z")]
    public string? Start { get; init; }

    [CommandOption("--no-random-faults")]
    [Description("Only the scripted faults happen; parts do not wear out by themselves")]
    public bool NoRandomFaults { get; init; }

    public override ValidationResult Validate() =>
        Start is not null && !TryParseStart(Start, out _)
            ? ValidationResult.Error($"--start '{Start}' is not a time; write it in UTC, e.g. 2026-01-05T06:00:00Z")
            : ValidationResult.Success();

    internal static bool TryParseStart(string text, out DateTimeOffset start) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);
}

public sealed class SimulateSettings : PlantSettings
{
    [CommandOption("--acceleration <N>")]
    [Description("Simulated seconds per real second: 60 makes an hour pass in a minute, 10080 a week in a minute")]
    [DefaultValue(1.0)]
    public double Acceleration { get; init; } = 1;

    [CommandOption("--repair-after <DURATION>")]
    [Description("Repair a failed machine this long (simulated) after it fails; by default it waits for maintenance over OPC UA")]
    public string? RepairAfter { get; init; }

    [CommandOption("--status-interval <SECONDS>")]
    [Description("How often to print each line's status")]
    [DefaultValue(5.0)]
    public double StatusIntervalSeconds { get; init; } = 5;

    [CommandOption("--duration <SECONDS>")]
    [Description("Stop after this long (default: until Ctrl+C)")]
    public double? DurationSeconds { get; init; }

    [CommandOption("--opcua-security <SECURITY>")]
    [Description("What the lines' OPC UA endpoints offer: none, secure (every policy in Sign and SignAndEncrypt), or POLICY:MODE[,...], e.g. Basic256Sha256:SignAndEncrypt. A server without None still answers discovery on None")]
    [DefaultValue("none")]
    public string OpcUaSecurity { get; init; } = "none";

    [CommandOption("--opcua-pki <DIR>")]
    [Description("PKI folder of the lines' servers: <DIR>/<line>/own holds each line's certificate (made at the first run), trusted/ the clients it lets in, rejected/ the ones refused ('factory pki trust' moves them)")]
    [DefaultValue("pki/simulator")]
    public string OpcUaPki { get; init; } = "pki/simulator";

    [CommandOption("--opcua-users <FILE>")]
    [Description("Users who may log in with a password: a password file as 'factory mqtt-user' or mosquitto_passwd writes it")]
    public string? OpcUaUsers { get; init; }

    [CommandOption("--opcua-no-anonymous")]
    [Description("Refuse anonymous users (needs --opcua-users)")]
    public bool OpcUaNoAnonymous { get; init; }

    public override ValidationResult Validate()
    {
        if (!Factory.Host.Commands.OpcUa.OpcUaSecuritySettings.TryParse(OpcUaSecurity, out _, out var securityProblem))
        {
            return ValidationResult.Error($"--opcua-security: {securityProblem}");
        }

        if (OpcUaNoAnonymous && OpcUaUsers is null)
        {
            return ValidationResult.Error("--opcua-no-anonymous needs --opcua-users: without anonymous users someone must be able to log in");
        }

        if (!(Acceleration > 0) || double.IsInfinity(Acceleration))
        {
            return ValidationResult.Error("--acceleration must be a positive number");
        }

        if (!(StatusIntervalSeconds > 0))
        {
            return ValidationResult.Error("--status-interval must be more than 0 seconds");
        }

        if (DurationSeconds is { } duration && !(duration > 0))
        {
            return ValidationResult.Error("--duration must be more than 0 seconds");
        }

        if (RepairAfter is not null && !SimulationDuration.TryParse(RepairAfter, out _, out var error))
        {
            return ValidationResult.Error($"--repair-after: {error}");
        }

        return base.Validate();
    }
}

public sealed class HistorySettings : PlantSettings
{
    [CommandOption("--days <N>")]
    [Description("Simulated days of history to write")]
    public double Days { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("The folder to write to (created if needed)")]
    public string Out { get; init; } = "";

    [CommandOption("--resolution <DURATION>")]
    [Description("Time between rows, e.g. 60s, 10s, 5m")]
    [DefaultValue("60s")]
    public string Resolution { get; init; } = "60s";

    [CommandOption("--repair-after <DURATION>")]
    [Description("Time from a failure to the start of its repair")]
    [DefaultValue("2h")]
    public string RepairAfter { get; init; } = "2h";

    public override ValidationResult Validate()
    {
        if (!(Days > 0) || Days > 3660)
        {
            return ValidationResult.Error("--days must be more than 0 (and at most 3660)");
        }

        if (string.IsNullOrWhiteSpace(Out))
        {
            return ValidationResult.Error("--out <DIR> is needed: the folder to write the history to");
        }

        if (!SimulationDuration.TryParse(Resolution, out var resolution, out var error))
        {
            return ValidationResult.Error($"--resolution: {error}");
        }

        if (resolution < TimeSpan.FromSeconds(1))
        {
            return ValidationResult.Error("--resolution must be at least 1s");
        }

        if (!SimulationDuration.TryParse(RepairAfter, out _, out error))
        {
            return ValidationResult.Error($"--repair-after: {error}");
        }

        return base.Validate();
    }
}

public sealed class ReplaySettings : CommandSettings
{
    [CommandOption("--csv <FILE>")]
    [Description("The recording: a CSV file with a header line")]
    public string Csv { get; init; } = "";

    [CommandOption("--timestamp-column <NAME>")]
    [Description("The column with each row's time (ISO 8601, or Unix seconds)")]
    public string TimestampColumn { get; init; } = "";

    [CommandOption("--endpoint <URL>")]
    [Description("Where to serve the values")]
    [DefaultValue("opc.tcp://127.0.0.1:4850")]
    public string Endpoint { get; init; } = "opc.tcp://127.0.0.1:4850";

    [CommandOption("--speed <N>")]
    [Description("Recorded seconds per real second")]
    [DefaultValue(1.0)]
    public double Speed { get; init; } = 1;

    [CommandOption("--loop")]
    [Description("Start again at the end (timestamps continue)")]
    public bool Loop { get; init; }

    [CommandOption("--delimiter <CHAR>")]
    [Description("The field separator")]
    [DefaultValue(",")]
    public string Delimiter { get; init; } = ",";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Csv) || string.IsNullOrWhiteSpace(TimestampColumn))
        {
            return ValidationResult.Error("--csv <FILE> and --timestamp-column <NAME> are needed");
        }

        if (!(Speed > 0) || double.IsInfinity(Speed))
        {
            return ValidationResult.Error("--speed must be a positive number");
        }

        if (Delimiter.Length != 1)
        {
            return ValidationResult.Error("--delimiter must be one character, e.g. ';'");
        }

        try
        {
            Factory.OpcUa.Transport.EndpointAddress.Parse(Endpoint);
        }
        catch (Factory.OpcUa.ServiceResultException e)
        {
            return ValidationResult.Error($"--endpoint: {e.Message}");
        }

        return ValidationResult.Success();
    }
}

public sealed class DemoSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("The plant configuration (default: plant-config/sample-plant.yaml)")]
    public string? Config { get; init; }

    [CommandOption("--acceleration <N>")]
    [Description("Simulated seconds per real second")]
    [DefaultValue(60.0)]
    public double Acceleration { get; init; } = 60;

    [CommandOption("--seed <N>")]
    [Description("All randomness comes from this seed")]
    [DefaultValue(1UL)]
    public ulong Seed { get; init; } = 1;

    [CommandOption("--duration <SECONDS>")]
    [Description("Stop after this long (default: until Ctrl+C)")]
    public double? DurationSeconds { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("The demo's data folder: edge/ holds the edge nodes' alarm journals and outboxes, cloud/ the telemetry store (default: data/ of the repository)")]
    public string? Data { get; init; }

    [CommandOption("--panel-port <PORT>")]
    [Description("Port of the first line's alarm panel; the next lines' follow it (default: 8481)")]
    public int? PanelPort { get; init; }

    [CommandOption("--cloud-port <PORT>")]
    [Description("Port of the cloud's HTTP API; 0 picks a free one")]
    [DefaultValue(Factory.Cloud.Hosting.CloudOptions.DefaultHttpPort)]
    public int CloudPort { get; init; } = Factory.Cloud.Hosting.CloudOptions.DefaultHttpPort;

    [CommandOption("--mqtt-port <PORT>")]
    [Description("Port of the cloud's embedded MQTT broker; 0 picks a free one")]
    [DefaultValue(Factory.Link.BrokerAddress.DefaultPort)]
    public int MqttPort { get; init; } = Factory.Link.BrokerAddress.DefaultPort;

    public override ValidationResult Validate() =>
        PanelPort is < 0 or > 65000 ? ValidationResult.Error($"--panel-port {PanelPort} is not a port (0 to 65000)")
        : CloudPort is < 0 or > 65535 || MqttPort is < 0 or > 65535 ? ValidationResult.Error($"--cloud-port {CloudPort} or --mqtt-port {MqttPort} is not a port (0 to 65535)")
        : !(Acceleration > 0) || double.IsInfinity(Acceleration) ? ValidationResult.Error("--acceleration must be a positive number")
        : DurationSeconds is { } d && !(d > 0) ? ValidationResult.Error("--duration must be more than 0 seconds")
        : ValidationResult.Success();
}
