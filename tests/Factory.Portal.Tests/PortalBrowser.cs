using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Factory.Cloud.Access;
using Factory.Portal.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace Factory.Portal.Tests;

/// <summary>
/// A real cloud node with the portal, hosted in the test process on a free port, and Debian's
/// chromium driven by Playwright. Without chromium the tests fail with the command that installs it.
/// </summary>
public class PortalBrowser : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public string Data { get; } = Directory.CreateTempSubdirectory("factory-portal-browser-").FullName;

    public WebApplication Cloud { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address => CloudNode.ApiUri(Cloud);

    /// <summary>The portal's users.</summary>
    public UserAccounts Users => Cloud.Services.GetRequiredService<UserAccounts>();

    /// <summary>The first start's generated password of the user admin.</summary>
    public string AdminPassword { get; private set; } = "";

    /// <summary>docs/screenshots of the repository: the tests keep the current screenshot of every page there.</summary>
    public static string Screenshots { get; } = FindScreenshots();

    /// <summary>The plant the cloud node serves; none here.</summary>
    protected virtual Factory.Plant.Model.PlantConfig? Plant => null;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"The browser tests need Debian's chromium at {Chromium}: sudo apt-get install -y chromium fonts-liberation (tests/run-all installs it).");
        }

        Cloud = CloudNode.Build(
            new CloudOptions
            {
                DataDirectory = Data,
                Store = logs => new EmbeddedTelemetryStore(Data, logs.CreateLogger<EmbeddedTelemetryStore>()),
                StoreDescription = "embedded",
                EmbeddedBrokerPort = 0,
                HttpPort = 0,
                Plant = Plant,
                AddServices = builder => PortalHosting.AddPortal(builder, typeof(PortalBrowser).Assembly.GetName().Name!),
                MapEndpoints = PortalHosting.MapPortal,
            },
            NullLoggerFactory.Instance);
        await Cloud.StartAsync();
        AdminPassword = Cloud.Services.GetRequiredService<FirstRun>().TakePassword()
            ?? throw new InvalidOperationException("The first start of the portal made no admin password.");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Starts an edge node of the edge tests' simulated line, linked to this portal's cloud node over its broker.</summary>
    internal async Task StartLinkedAsync(Factory.Edge.Tests.Node.Support.EdgeHarness edge)
    {
        edge.Cloud = new Factory.Edge.Link.CloudLinkOptions { Broker = CloudNode.BrokerOf(Cloud, Cloud.Services.GetRequiredService<CloudOptions>()), AcknowledgementTimeout = TimeSpan.FromSeconds(3) };
        await edge.StartAsync();
    }

    /// <summary>A new page, signed in as <paramref name="user"/>, at <paramref name="path"/>.</summary>
    public async Task<IPage> SignedInAsync(string path, string user, string password, int width = 1280, int height = 800)
    {
        var page = await OpenAsync("/login?returnUrl=" + Uri.EscapeDataString(path), width, height);
        await page.FillAsync("input[name=userName]", user);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Uri(Address, path).ToString());
        await InteractiveAsync(page);
        return page;
    }

    /// <summary>Waits until the page's circuit is up: before that, a prerendered button does nothing when clicked.</summary>
    public static Task InteractiveAsync(IPage page) =>
        page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });

    /// <summary>A new page 1280x800, as the portal must be usable at.</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280, int height = 800)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await page.GotoAsync(new Uri(Address, path).ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Cloud is not null)
        {
            await Cloud.StopAsync();
            await Cloud.DisposeAsync();
        }

        Directory.Delete(Data, recursive: true);
    }

    /// <summary>The repository's plant-config/sample-plant.yaml.</summary>
    public static string SamplePlant => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Screenshots))!, "plant-config", "sample-plant.yaml");

    private static string FindScreenshots()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Factory.sln")))
            {
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "docs", "screenshots")).FullName;
            }
        }

        throw new InvalidOperationException("The repository (Factory.sln) was not found above the test folder.");
    }
}

/// <summary><see cref="PortalBrowser"/> with the sample plant: machine types, tasks, crews and shifts for forecasts and planning.</summary>
public sealed class SamplePlantPortal : PortalBrowser
{
    private readonly Factory.Plant.Model.PlantConfig _plant = Factory.Plant.Config.PlantConfigLoader.Load(SamplePlant);

    protected override Factory.Plant.Model.PlantConfig? Plant => _plant;
}
