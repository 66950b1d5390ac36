using GaussQuant.Tests.Pipelines;
using GaussQuant.Training;

namespace GaussQuant.Tests.Training;

public class TensorBoardEventsTests
{
    [Fact]
    public void Crc32CMatchesTheCastagnoliCheckValue() =>
        Assert.Equal(0xE3069283u, TensorBoardEvents.Crc32C("123456789"u8));

    [Fact]
    public void AResumedWriterHidesTheStepsItReplays()
    {
        using var folder = new TemporaryFolder();
        using (var first = new TensorBoardEvents(folder.Path, firstStep: 0))
            foreach (long step in new long[] { 2, 4, 6 })
                first.AddScalars(step, [("loss", step)]);
        // Resumed from a checkpoint at step 3: steps 4 and 6 are logged again.
        using (var resumed = new TensorBoardEvents(folder.Path, firstStep: 4))
            foreach (long step in new long[] { 4, 6, 8 })
                resumed.AddScalars(step, [("loss", step)]);

        Assert.Equal([2, 4, 6, 8], TensorBoardHistory.Read(folder.Path)["loss"]);
        Assert.Equal(2, Directory.GetFiles(folder.Path, "events.out.tfevents.*").Length);
    }
}
