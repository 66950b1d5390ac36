using GaussQuant.Tests.IO;
using GaussQuant.Tests.Pipelines;
using GaussQuant.Training;

namespace GaussQuant.Tests.Training;

public class MetricsCsvTests
{
    private const string Header = "step,epoch,phase,images_per_s,loss,nll,rec,kl_loss,bits_mean,bits_min,bits_max,lambda,lambda_min,lambda_max,logvar,g_loss,d_weight,disc_loss,logits_real,logits_fake,vf,vf_distmat,vf_cos,vf_weight";

    private static string Row(long step) => step + ",0,ae" + string.Concat(Enumerable.Repeat(",1", 21));

    [Fact]
    public void ResumingRewritesThroughANewFileAndNeverTheOldOneInPlace()
    {
        using var folder = new TemporaryFolder();
        string path = folder["metrics.csv"];
        string original = string.Join("\n", Header, Row(2), Row(4), Row(6)) + "\n";
        File.WriteAllText(path, original);
        // A second name for the same inode sees any write into the old file, as a kill in the middle would leave it.
        SpecialFiles.HardLink(path, folder["before.csv"]);

        _ = new MetricsCsv(path, keepUpToStep: 4);
        Assert.Equal(original, File.ReadAllText(folder["before.csv"]));
        Assert.Equal([Header, Row(2), Row(4)], File.ReadAllLines(path));
        Assert.Empty(SpecialFiles.TemporariesBeside(path));
    }

    [Fact]
    public void ResumingRestoresAMissingHeaderAndDropsARowCutShort()
    {
        using var folder = new TemporaryFolder();
        string path = folder["metrics.csv"];
        File.WriteAllText(path, Row(2) + "\n" + Row(4) + "\n" + Row(6)[..9]);
        _ = new MetricsCsv(path, keepUpToStep: 10);
        Assert.Equal([Header, Row(2), Row(4)], File.ReadAllLines(path));
    }

    [Fact]
    public void ResumingARunFromBeforeTheVfColumnsKeepsItsRowsWithThoseColumnsEmpty()
    {
        using var folder = new TemporaryFolder();
        string path = folder["metrics.csv"];
        string oldHeader = Header[..Header.IndexOf(",vf,", StringComparison.Ordinal)];
        string OldRow(long step) => step + ",0,ae" + string.Concat(Enumerable.Repeat(",1", 17));
        File.WriteAllText(path, string.Join("\n", oldHeader, OldRow(2), OldRow(4)) + "\n");
        _ = new MetricsCsv(path, keepUpToStep: 10);
        Assert.Equal([Header, OldRow(2) + ",,,,", OldRow(4) + ",,,,"], File.ReadAllLines(path));
    }
}
