using Factory.Host.Commands.OpcUa;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Factory.Host.Cli;

/// <summary>The verbs of the <c>factory</c> command and what they need; Program and tests build it the same way.</summary>
public static class FactoryApp
{
    public static CommandApp Create(IAnsiConsole console, ILoggerFactory loggerFactory)
    {
        var services = new ServiceCollection();
        services.AddSingleton(console);
        services.AddSingleton(loggerFactory);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("factory");
            config.ConfigureConsole(console);
            config.PropagateExceptions();
            config.AddBranch("opcua", opcua =>
            {
                opcua.SetDescription("Look at an OPC UA server the way a commissioning engineer does: what a machine exposes, its values, its changes.");
                opcua.AddCommand<EndpointsCommand>("endpoints")
                    .WithDescription("List the endpoints a server offers (security, user tokens).")
                    .WithExample("opcua", "endpoints", "opc.tcp://127.0.0.1:4840");
                opcua.AddCommand<BrowseCommand>("browse")
                    .WithDescription("Show the tree of nodes below one or more nodes (default: the Objects folder).")
                    .WithExample("opcua", "browse", "opc.tcp://127.0.0.1:4840", "--depth", "3")
                    .WithExample("opcua", "browse", "opc.tcp://127.0.0.1:4840", "\"ns=2;s=Line1\"", "--json");
                opcua.AddCommand<ReadCommand>("read")
                    .WithDescription("Read the values (or another attribute) of nodes.")
                    .WithExample("opcua", "read", "opc.tcp://127.0.0.1:4840", "\"ns=2;s=Line1.Pump1.Speed\"", "i=2258");
                opcua.AddCommand<WriteCommand>("write")
                    .WithDescription("Write a value to a node; the value is converted to the node's data type.")
                    .WithExample("opcua", "write", "opc.tcp://127.0.0.1:4840", "\"ns=2;s=Line1.Pump1.Setpoint\"", "1500");
                opcua.AddCommand<SubscribeCommand>("subscribe")
                    .WithDescription("Print every change of the nodes' values until Ctrl+C (or --duration).")
                    .WithExample("opcua", "subscribe", "opc.tcp://127.0.0.1:4840", "\"ns=2;s=Line1.Pump1.Speed\"", "--interval", "250");
            });
            config.AddBranch("config", plant =>
            {
                plant.SetDescription("Check a plant configuration (site, lines, machines, sensors) before a start does.");
                plant.AddCommand<Commands.Config.ValidateCommand>("validate")
                    .WithDescription("Validate a plant configuration file; every error as file:line:column: path: message, exit code 1 if any.")
                    .WithExample("config", "validate", "plant-config/sample-plant.yaml")
                    .WithExample("config", "validate", "plant-config/sample-plant.yaml", "--json");
            });
            config.AddBranch("simulate", simulate =>
            {
                simulate.SetDescription("The simulated plant: machines that wear out and fail, served over OPC UA (one endpoint per line); histories with labels; replay of recorded data.");
                simulate.SetDefaultCommand<Commands.Simulate.SimulateCommand>();
                simulate.AddCommand<Commands.Simulate.SimulateCommand>("serve")
                    .WithDescription("Serve the plant's lines over OPC UA until Ctrl+C (the default).")
                    .WithExample("simulate", "--acceleration", "60")
                    .WithExample("simulate", "--scenario", "plant-config/scenarios/bearing-fault-line-1.yaml")
                    .WithExample("simulate", "--fault", "line-1/cnc-01:bearing-wear:start=2m:fail=20m", "--acceleration", "60");
                simulate.AddCommand<Commands.Simulate.SimulateHistoryCommand>("history")
                    .WithDescription("Write run-to-failure histories with labels, faster than real time (docs/simulator.md).")
                    .WithExample("simulate", "history", "--days", "30", "--out", "artifacts/history");
                simulate.AddCommand<Commands.Simulate.SimulateReplayCommand>("replay")
                    .WithDescription("Stream a recorded data set (CSV with a timestamp column) as OPC UA values.")
                    .WithExample("simulate", "replay", "--csv", "recording.csv", "--timestamp-column", "time", "--speed", "10");
            });
            config.AddBranch("models", models =>
            {
                models.SetDescription("Train and evaluate models (docs/models.md), and manage them in the cloud's registry: list, show, compare, register, promote (canary on one line, then fleet), roll back; every change audited (docs/deployment.md).");
                models.AddCommand<Commands.Models.TrainCommand>("train")
                    .WithDescription("Per machine type: simulate labeled history, compare the detectors, package the best with its threshold and metrics, write an HTML report.")
                    .WithExample("models", "train", "--out", "models")
                    .WithExample("models", "train", "--type", "centrifugal-pump", "--healthy", "4h", "--seed", "7");
                models.AddCommand<Commands.Models.TrainRulCommand>("train-rul")
                    .WithDescription("Per machine type, train a remaining-useful-life model on runs to failure from simulator history or the telemetry store over a time range; measure it on held-out runs, package it, write an HTML report.")
                    .WithExample("models", "train-rul", "--history", "history", "--out", "models")
                    .WithExample("models", "train-rul", "--cloud", "http://127.0.0.1:8400", "--labels", "maintenance.csv", "--from", "2026-01-05T00:00:00Z", "--to", "2026-07-01T00:00:00Z");
                models.AddCommand<Commands.Models.EvaluateCommand>("evaluate")
                    .WithDescription("Judge a package with its own threshold on labeled simulated history it was not trained on; metrics and an HTML report.")
                    .WithExample("models", "evaluate", "models/centrifugal-pump-anomaly-1.fmpkg", "--seed", "1001");
                models.AddCommand<Commands.Models.EvaluateRulCommand>("evaluate-rul")
                    .WithDescription("C-MAPSS protocol: fit RUL on --train only, predict at the last row of each --test unit, score against --truth; last line {\"rmse\", \"phm08\", \"units\"}.")
                    .WithExample("models", "evaluate-rul", "--train", "train_FD001.txt", "--test", "test_FD001.txt", "--truth", "RUL_FD001.txt");
                models.AddCommand<Commands.Models.EvaluateAnomalyCommand>("evaluate-anomaly")
                    .WithDescription("Per labeled CSV file: fit on the first N rows, threshold on them, score the rest; per-file and overall precision, recall, F1, FAR, MAR; last line JSON.")
                    .WithExample("models", "evaluate-anomaly", "--data", "skab/valve1", "--label-column", "anomaly", "--train-first", "400", "--timestamp-column", "datetime", "--ignore-columns", "changepoint", "--separator", ";");
                models.AddCommand<Commands.Models.ListModelsCommand>("list")
                    .WithDescription("List the registered models with their fleet and canary versions.")
                    .WithExample("models", "list", "--cloud", "http://127.0.0.1:8400");
                models.AddCommand<Commands.Models.ShowModelCommand>("show")
                    .WithDescription("Show a model's versions (stage, metrics, provenance) and its audit log.")
                    .WithExample("models", "show", "cnc-spindle-anomaly");
                models.AddCommand<Commands.Models.CompareModelsCommand>("compare")
                    .WithDescription("Compare two versions of a model: the fields and metrics that differ.")
                    .WithExample("models", "compare", "cnc-spindle-anomaly", "3", "4");
                models.AddCommand<Commands.Models.RegisterModelCommand>("register")
                    .WithDescription("Upload a trained package (.fmpkg) as a candidate; a corrupt or conflicting one is refused.")
                    .WithExample("models", "register", "artifacts/cnc-spindle-anomaly-4.fmpkg");
                models.AddCommand<Commands.Models.PromoteModelCommand>("promote")
                    .WithDescription("Promote a version to canary on one line, or to the fleet (refused if the canary alarms worse, unless --force).")
                    .WithExample("models", "promote", "cnc-spindle-anomaly", "4", "--canary", "line-2")
                    .WithExample("models", "promote", "cnc-spindle-anomaly", "4", "--fleet");
                models.AddCommand<Commands.Models.RollbackModelCommand>("rollback")
                    .WithDescription("Roll the fleet back to the version it ran before (or, with --canary, end the canary).")
                    .WithExample("models", "rollback", "cnc-spindle-anomaly");
            });
            config.AddBranch("pki", pki =>
            {
                pki.SetDescription("The OPC UA application certificates an application trusts and has refused (docs/security.md).");
                pki.AddCommand<Commands.Pki.PkiListCommand>("list")
                    .WithDescription("List the folder's own, trusted, issuer and rejected certificates.")
                    .WithExample("pki", "list", "--pki", "data/edge/pki");
                pki.AddCommand<Commands.Pki.PkiTrustCommand>("trust")
                    .WithDescription("Trust a refused certificate (moves it from rejected to trusted).")
                    .WithExample("pki", "trust", "3F2A9C", "--pki", "data/edge/pki");
                pki.AddCommand<Commands.Pki.PkiRejectCommand>("reject")
                    .WithDescription("Stop trusting a certificate (moves it from trusted to rejected).")
                    .WithExample("pki", "reject", "3F2A9C", "--pki", "data/edge/pki");
            });
            config.AddCommand<Commands.Edge.EdgeCommand>("edge")
                .WithDescription("Run the edge node of a production line: OPC UA telemetry, anomaly scoring, ISA-18.2 alarms, the line-side panel.")
                .WithExample("edge", "--line", "line-1")
                .WithExample("edge", "--config", "plant-config/sample-plant.yaml", "--line", "line-2", "--panel-port", "9000", "--data", "/var/lib/factory/edge");
            config.AddCommand<Commands.Cloud.CloudCommand>("cloud")
                .WithDescription("Run a cloud node: MQTT broker (embedded unless --broker), ingest of the edges' data into InfluxDB (--influx) or the embedded store, the HTTP API.")
                .WithExample("cloud")
                .WithExample("cloud", "--influx", "http://127.0.0.1:8086", "--broker", "mqtt://127.0.0.1:1883");
            config.AddCommand<Commands.Cloud.MqttUserCommand>("mqtt-user")
                .WithDescription("Add a user to the broker's password file (Mosquitto's format), change their password, or remove them (docs/security.md).")
                .WithExample("mqtt-user", "passwords", "edge-line-1")
                .WithExample("mqtt-user", "passwords", "edge-line-1", "--remove");
            config.AddCommand<Commands.Simulate.DemoCommand>("demo")
                .WithDescription("Run the sample plant, simulated at 60x real time and served over OPC UA, and show how to look at it.")
                .WithExample("demo");
        });
        return app;
    }
}
