using TorchSharp;
using Viml.Model;
using Viml.Torch;

namespace Viml.Tests.Torch;

public class TorchSharpLoadTests
{
    [Fact]
    public void A_tensor_op_runs_on_this_machine()
    {
        TorchRuntime.Initialise();
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var b = a.matmul(a.T);
        Assert.Equal(new float[] { 5, 14, 14, 50 }, b.data<float>().ToArray());
    }

    [Fact]
    public void The_build_marked_the_GLIBCXX_3_4_32_requirement_weak()
    {
        var lib = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(lib);
        // A second pass changes nothing: the requirement is weak already.
        Assert.Equal(0, ElfVersionPatcher.MarkWeak(File.ReadAllBytes(lib[0]), "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void Patcher_rejects_a_file_that_is_not_ELF()
    {
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkWeak(new byte[100], "X", "bogus.so"));
        Assert.Contains("bogus.so", e.Message);
    }
}
