using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Viml.Catalog;
using Viml.Tests.Catalog;
using Viml.Tests.Rhythm;
using Viml.Web;

namespace Viml.Tests.Web;

/// <summary>Chromium through the page's rhythm parts: beat time lines, "Preview with my video" in sync, "Download with this music".</summary>
public class BrowserRhythmE2ETests
{
    [Fact]
    [Trait("Category", "E2E")]
    public async Task Beats_preview_in_sync_and_download_with_the_music_in_chromium()
    {
        var root = Directory.CreateTempSubdirectory("viml-e2e-rhythm-").FullName;
        var profile = Directory.CreateTempSubdirectory("viml-chromium-").FullName;
        try
        {
            var lib = Directory.CreateDirectory(Path.Combine(root, "music")).FullName;
            foreach (var bpm in new[] { 96.0, 132.0 })
            {
                string raw = Path.Combine(root, $"{bpm}.f32");
                File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Clicks.Render(Clicks.Times(bpm, 24), 24).AsSpan()).ToArray());
                TestParts.Ffmpeg("-f", "f32le", "-ar", Clicks.Rate.ToString(), "-ac", "1", "-i", raw, Path.Combine(lib, $"clicks-{bpm}.mp3"));
            }
            var parts = TestParts.Create();
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(root, "catalog"), CatalogIngest.InfoFor(parts));
            new CatalogIngest(cat, parts).Add(CatalogIngest.FindAudio([lib]));
            var video = TestParts.Video(Path.Combine(root, "holiday.mp4"), 8);
            using var service = new RecommendService(cat, TestParts.Query() with { Fps = 2 });
            await using var app = VimlWeb.Build(service, new WebOptions { Port = 0, UploadFolder = Path.Combine(root, "uploads") });
            await app.StartAsync();
            var url = ((IServer)app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();

            var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
            options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required",
                "--mute-audio", "--window-size=1100,1000", $"--user-data-dir={profile}");
            using var driverService = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
            driverService.HideCommandPromptWindow = true;
            using var driver = new ChromeDriver(driverService, options, TimeSpan.FromSeconds(60));
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60));
            var js = (IJavaScriptExecutor)driver;

            driver.Navigate().GoToUrl(url);
            wait.Until(d => d.FindElement(By.Id("catalog")).Text.Contains("2 tracks"));
            driver.FindElement(By.Id("video")).SendKeys(video);
            driver.FindElement(By.Id("search")).Click();
            var first = wait.Until(d => d.FindElements(By.CssSelector("li.result .rhythm")) is { Count: 2 } l ? d.FindElements(By.CssSelector("li.result"))[0] : null)!;
            Assert.Matches(@"\d+ BPM · start at \d+:\d\d\.\d\d", first.FindElement(By.CssSelector(".rhythm")).Text);
            Assert.InRange(first.FindElements(By.CssSelector(".beats .beat")).Count, 30, 60);
            Assert.InRange(first.FindElements(By.CssSelector(".beats .bar")).Count, 8, 15);
            double start = double.Parse(first.GetAttribute("data-rhythm-start")!, System.Globalization.CultureInfo.InvariantCulture);

            first.FindElement(By.CssSelector("button.preview-button")).Click();
            wait.Until(_ => Convert.ToDouble(js.ExecuteScript("const v = document.querySelector('.preview video'); return v ? v.currentTime : 0;")) > 1.0);
            var times = (IReadOnlyCollection<object>)js.ExecuteScript(
                "const v = document.querySelector('.preview video'), a = document.querySelector('.preview audio'); return [v.currentTime, a.currentTime, v.muted];")!;
            var t = times.ToArray();
            Assert.True((bool)t[2]);
            Assert.InRange(Convert.ToDouble(t[1]) - Convert.ToDouble(t[0]), start - 0.4, start + 0.4);

            var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(shots);
            var shot = Path.Combine(shots, "web-rhythm.png");
            driver.GetScreenshot().SaveAsFile(shot);
            Assert.True(new FileInfo(shot).Length > 10_000);

            // the download button posts the chosen video to /api/render; the same request from the page returns an MP4
            var rendered = (IReadOnlyCollection<object>)((IJavaScriptExecutor)driver).ExecuteAsyncScript("""
                const done = arguments[arguments.length - 1];
                const f = new FormData();
                f.append("video", document.getElementById("video").files[0], "video");
                f.append("trackId", document.querySelector("li.result").dataset.track);
                f.append("start", document.querySelector("li.result").dataset.rhythmStart);
                fetch("/api/render", { method: "POST", body: f }).then(async (r) => done([r.status, r.headers.get("content-type"), r.ok ? (await r.arrayBuffer()).byteLength : await r.text()]));
                """)!;
            var rr = rendered.ToArray();
            Assert.True(Convert.ToInt64(rr[0]) == 200, $"{rr[0]}: {rr[2]}");
            Assert.Equal("video/mp4", rr[1]);
            Assert.True(Convert.ToInt64(rr[2]) > 10_000);
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
