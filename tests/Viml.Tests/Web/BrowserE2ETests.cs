using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Viml.Catalog;
using Viml.Tests.Catalog;
using Viml.Web;

namespace Viml.Tests.Web;

/// <summary>Debian's chromium, driven by Selenium, through the page: choose a video, type a sentence, search, play a result.</summary>
public class BrowserE2ETests
{
    [Fact]
    [Trait("Category", "E2E")]
    public async Task Upload_search_and_play_from_the_best_segment_in_chromium()
    {
        var root = Directory.CreateTempSubdirectory("viml-e2e-").FullName;
        var profile = Directory.CreateTempSubdirectory("viml-chromium-").FullName;
        try
        {
            var lib = Directory.CreateDirectory(Path.Combine(root, "music")).FullName;
            TestParts.Tone(Path.Combine(lib, "first.mp3"), 440, 32, title: "Long Tone");
            TestParts.Tone(Path.Combine(lib, "second.ogg"), 0, 24);
            TestParts.Tone(Path.Combine(lib, "third.flac"), 300, 15);
            var parts = TestParts.Create();
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(root, "catalog"), CatalogIngest.InfoFor(parts));
            new CatalogIngest(cat, parts).Add(CatalogIngest.FindAudio([lib]));
            var video = TestParts.Video(Path.Combine(root, "holiday.mp4"), 14);
            using var service = new RecommendService(cat, TestParts.Query());
            await using var app = VimlWeb.Build(service, new WebOptions { Port = 0, UploadFolder = Path.Combine(root, "uploads") });
            await app.StartAsync();
            var url = ((IServer)app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();

            var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
            options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--window-size=1100,900", $"--user-data-dir={profile}");
            using var driverService = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
            driverService.HideCommandPromptWindow = true;
            using var driver = new ChromeDriver(driverService, options, TimeSpan.FromSeconds(60));
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60));

            driver.Navigate().GoToUrl(url);
            wait.Until(d => d.FindElement(By.Id("catalog")).Text.Contains("3 tracks"));
            driver.FindElement(By.Id("video")).SendKeys(video);
            Assert.Contains("holiday.mp4", driver.FindElement(By.Id("drop-text")).Text);
            driver.FindElement(By.Id("text")).SendKeys("a bright steady tone");
            driver.FindElement(By.Id("search")).Click();
            var items = wait.Until(d => d.FindElements(By.CssSelector("li.result")) is { Count: 3 } l ? l : null)!;
            Assert.Contains("video + text", driver.FindElement(By.Id("status")).Text);
            var first = items[0];
            double start = double.Parse(first.GetAttribute("data-start")!, System.Globalization.CultureInfo.InvariantCulture);
            first.FindElement(By.CssSelector("button.play")).Click();
            wait.Until(_ => first.GetAttribute("data-state") == "playing");
            var js = (IJavaScriptExecutor)driver;
            double t = Convert.ToDouble(js.ExecuteScript("return document.querySelector('li.result audio').currentTime;"));
            Assert.True(t >= start - 0.05, $"playing at {t:F2} s, best segment starts at {start:F2} s");
            Assert.True(t < start + 10.5, $"playing at {t:F2} s, past the best segment at {start:F2} s");

            // the text knob: all the way to the words, the search still answers and says so on the slider
            js.ExecuteScript("const s = document.getElementById('text-weight'); s.value = '1'; s.dispatchEvent(new Event('input'));");
            Assert.Equal("1", driver.FindElement(By.Id("text-weight-value")).Text);
            driver.FindElement(By.Id("search")).Click();
            wait.Until(d => d.FindElement(By.Id("status")).Text.Contains("tracks (") && d.FindElement(By.Id("search")).Enabled);
            // more like this: the first result's button lists the other tracks, never the track itself
            string liked = driver.FindElements(By.CssSelector("li.result"))[0].GetAttribute("data-track")!;
            driver.FindElements(By.CssSelector("li.result"))[0].FindElement(By.CssSelector("button.like")).Click();
            wait.Until(d => d.FindElement(By.Id("status")).Text.Contains($"like track {liked}"));
            var similar = driver.FindElements(By.CssSelector("li.result")).Select(e => e.GetAttribute("data-track")).ToList();
            Assert.Equal(2, similar.Count);
            Assert.DoesNotContain(liked, similar);

            var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(shots);
            var shot = Path.Combine(shots, "web-e2e.png");
            driver.GetScreenshot().SaveAsFile(shot);
            Assert.True(new FileInfo(shot).Length > 10_000);
            Assert.Empty(Directory.GetFiles(Path.Combine(root, "uploads")));
            driver.Quit();
        }
        finally
        {
            Directory.Delete(root, true);
            try { Directory.Delete(profile, true); } catch (IOException) { }
        }
    }
}
