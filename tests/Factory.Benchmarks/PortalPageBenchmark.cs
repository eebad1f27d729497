using System.Diagnostics;
using System.Globalization;
using Factory.Cloud.Access;
using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Contracts.Telemetry;
using Factory.Plant.Config;
using Factory.Portal.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace Factory.Benchmarks;

/// <summary>
/// Time to a usable portal page in chromium (docs/benchmarks.md): a cloud node with the portal on
/// an embedded store holding the sample plant (every machine's latest summary and health) and 7 days
/// of 10 s summaries of every sensor of one pump; per run, from navigation until the page is
/// interactive and its content drawn: the sign-in page (static, the baseline), the plant overview,
/// and the pump's machine page with the 7-day charts.
/// <code>dotnet run -c Release --project tests/Factory.Benchmarks -- portal-pages --config plant-config/sample-plant.yaml --runs 10</code>
/// </summary>
internal static class PortalPageBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var config = BenchmarkArguments.Text(args, "--config") ?? "plant-config/sample-plant.yaml";
        var runs = int.Parse(BenchmarkArguments.Text(args, "--runs") ?? "10", CultureInfo.InvariantCulture);
        var plant = PlantConfigLoader.Load(config);
        var data = Directory.CreateTempSubdirectory("factory-portal-bench-").FullName;
        try
        {
            var cloud = CloudNode.Build(
                new CloudOptions
                {
                    DataDirectory = data,
                    Store = logs => new EmbeddedTelemetryStore(data, logs.CreateLogger<EmbeddedTelemetryStore>()),
                    StoreDescription = "embedded",
                    EmbeddedBrokerPort = 0,
                    HttpPort = 0,
                    Plant = plant,
                    AddServices = builder => PortalHosting.AddPortal(builder, typeof(PortalPageBenchmark).Assembly.GetName().Name!),
                    MapEndpoints = PortalHosting.MapPortal,
                },
                NullLoggerFactory.Instance);
            await cloud.StartAsync();
            var password = cloud.Services.GetRequiredService<FirstRun>().TakePassword()!;

            // The pump's RUL model in service, as in the demo: the machine page forecasts from the 7 days.
            var registry = cloud.Services.GetRequiredService<Factory.Cloud.Models.ModelRegistry>();
            var rul = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config))!, "..", "models", "centrifugal-pump-rul-1.fmpkg");
            await using (var package = File.OpenRead(rul))
            {
                await registry.RegisterAsync(package, Path.GetFileName(rul), "benchmark", default);
            }

            await registry.PromoteToFleetAsync("centrifugal-pump-rul", 1, "benchmark", force: false, default);
            var store = cloud.Services.GetRequiredService<ITelemetryStore>();
            var end = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
            var (line, machine, sensors) = await FillAsync(store, plant, end);
            Console.WriteLine($"{plant.Machines.Count()} machines; 7 days of 10 s summaries of {sensors} sensors of {line}/{machine}; {Environment.ProcessorCount} cores");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
            var address = CloudNode.ApiUri(cloud);
            await page.GotoAsync(new Uri(address, "/login").ToString());
            await page.FillAsync("input[name=userName]", "admin");
            await page.FillAsync("input[name=password]", password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(address.ToString());

            var pages = new (string Name, string Path, Func<IPage, Task> Usable)[]
            {
                ("sign-in page (static, baseline)", "/login", p => p.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).WaitForAsync()),
                ("plant overview", "/", async p =>
                {
                    await Interactive(p);
                    await p.Locator("tr.rz-data-row").Nth(plant.Machines.Count() - 1).WaitForAsync();
                }),
                ("machine page, 7-day charts", $"/machines/{line}/{machine}?range=7d", async p =>
                {
                    await Interactive(p);
                    await p.Locator("[data-testid^=chart-] svg path").Nth(sensors - 1).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
                }),
            };
            Console.WriteLine("page                              first ms  median ms  max ms (of the other runs)   median of: HTML ms  DOM ready ms");
            foreach (var (name, path, usable) in pages)
            {
                var times = new List<double>();
                var html = new List<double>();
                var dom = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await page.GotoAsync(new Uri(address, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                    await usable(page);
                    times.Add(clock.Elapsed.TotalMilliseconds);

                    // Where the time went: the server's HTML (prerendered page) and the DOM, from the navigation's start.
                    var timing = await page.EvaluateAsync<double[]>("() => { const n = performance.getEntriesByType('navigation')[0]; return [n.responseEnd, n.domContentLoadedEventEnd]; }");
                    html.Add(timing[0]);
                    dom.Add(timing[1]);
                }

                var warm = times.Skip(1).Order().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-33} {times[0],8:F0}  {warm[warm.Count / 2],9:F0}  {warm[^1],6:F0}   {Median(html.Skip(1)),24:F0}  {Median(dom.Skip(1)),12:F0}"));
            }

            await cloud.StopAsync();
            await cloud.DisposeAsync();
            return 0;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static Task Interactive(IPage page) =>
        page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    private static async Task<(string Line, string Machine, int Sensors)> FillAsync(ITelemetryStore store, Factory.Plant.Model.PlantConfig plant, DateTimeOffset end)
    {
        var latest = new List<SensorSummary>();
        var health = new List<MachineHealth>();
        foreach (var line in plant.Lines)
        {
            foreach (var m in line.Machines)
            {
                latest.AddRange(m.Sensors.Select(s => new SensorSummary(line.Id, m.Id, s.Id, end.AddSeconds(-10), 10, 10, 1, 2, 1.5, 0.1, 1.5, s.Unit)));
                health.Add(new MachineHealth(line.Id, m.Id, end.AddSeconds(-10), 10, 10, 0.5, 0.5, 0.6, 1, $"{m.Type}-anomaly version 1", "running", false));
            }
        }

        await store.WriteAsync(new TelemetryBatch(latest, health, [], []), default);
        var pumpLine = plant.Lines.First(l => l.Machines.Any(m => m.Type == "centrifugal-pump"));
        var pump = pumpLine.Machines.First(m => m.Type == "centrifugal-pump");
        var batch = new List<SensorSummary>();
        for (var t = end.AddDays(-7); t < end.AddSeconds(-10); t = t.AddSeconds(10))
        {
            var hours = (t - end).TotalHours;
            foreach (var sensor in pump.Sensors)
            {
                var mean = 10 + Math.Sin(hours / 5) + (0.01 * hours);
                batch.Add(new SensorSummary(pumpLine.Id, pump.Id, sensor.Id, t, 10, 10, mean - 0.2, mean + 0.2, mean, 0.1, mean, sensor.Unit));
            }

            if (batch.Count >= 50_000)
            {
                await store.WriteAsync(new TelemetryBatch(batch, [], [], []), default);
                batch.Clear();
            }
        }

        await store.WriteAsync(new TelemetryBatch(batch, [], [], []), default);
        return (pumpLine.Id, pump.Id, pump.Sensors.Count);
    }
}
