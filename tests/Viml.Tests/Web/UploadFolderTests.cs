using Viml.Web;

namespace Viml.Tests.Web;

public class UploadFolderTests
{
    static UnixFileMode Mode(string path) => File.GetUnixFileMode(path) & (UnixFileMode)0x1FF;

    [Fact]
    public async Task The_folder_is_owner_only_and_uploads_are_created_0600()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["shared"]);
        File.SetUnixFileMode(dir["shared"], (UnixFileMode)0x1FF);   // 0777: made by someone careless
        var folder = UploadFolder.Open(dir["shared"]);
        Assert.Equal((UnixFileMode)0x1C0, Mode(folder.Path));   // 0700
        await using var upload = folder.Create();
        Assert.Equal((UnixFileMode)0x180, Mode(upload.Path));   // 0600
        Assert.Equal((UnixFileMode)0x1C0, Mode(UploadFolder.Open(dir["new/uploads"]).Path));
    }

    [Fact]
    public void A_symbolic_link_as_the_folder_is_refused()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["elsewhere"]);
        File.CreateSymbolicLink(dir["viml-uploads"], dir["elsewhere"]);
        var e = Assert.Throws<InvalidInputException>(() => UploadFolder.Open(dir["viml-uploads"]));
        Assert.Contains("symbolic link", e.Message);
        Assert.Contains(dir["viml-uploads"], e.Message);
        File.WriteAllText(dir["a-file"], "");
        Assert.Contains("is a file", Assert.Throws<InvalidInputException>(() => UploadFolder.Open(dir["a-file"])).Message);
        // the server refuses to start on it
        Assert.Throws<InvalidInputException>(() => VimlWeb.Build(null!, new WebOptions { Port = 0, UploadFolder = dir["viml-uploads"] }));
    }

    [Fact]
    public async Task Uploads_left_by_a_killed_server_are_removed_at_start_and_a_running_servers_are_kept()
    {
        using var dir = new TempDir();
        var running = UploadFolder.Open(dir["uploads"]);
        await using var live = running.Create();   // a running server's upload: locked while its query runs
        File.WriteAllBytes(dir["uploads/0123456789abcdef0123456789abcdef.upload"], new byte[100]);   // no process holds it: left by kill -9
        File.WriteAllText(dir["uploads/notes.txt"], "not ours");
        var starting = UploadFolder.Open(dir["uploads"]);
        Assert.Equal(1, starting.StaleRemoved);
        Assert.True(File.Exists(live.Path));
        Assert.False(File.Exists(dir["uploads/0123456789abcdef0123456789abcdef.upload"]));
        Assert.True(File.Exists(dir["uploads/notes.txt"]));
    }
}
