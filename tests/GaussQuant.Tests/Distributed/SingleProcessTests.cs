using GaussQuant.Distributed;

namespace GaussQuant.Tests.Distributed;

public class SingleProcessTests
{
    [Fact]
    public void IsTheRootOfAJobOfOne()
    {
        ICommunicator single = SingleProcess.Instance;
        Assert.Equal((0, 1, true), (single.Rank, single.Size, single.IsRoot));
    }

    [Fact]
    public void CollectivesLeaveTheValuesAsTheyAre()
    {
        ICommunicator single = SingleProcess.Instance;
        float[] floats = [1.5f, -2f];
        double[] doubles = [0.25];
        long[] longs = [long.MaxValue];
        byte[] bytes = [7, 8];
        single.Barrier();
        single.AllReduceSum(floats);
        single.AllReduceSum(doubles);
        single.AllReduceSum(longs);
        single.Broadcast(bytes);
        Assert.Equal([1.5f, -2f], floats);
        Assert.Equal([0.25], doubles);
        Assert.Equal([long.MaxValue], longs);
        Assert.Equal([7, 8], bytes);
        var gathered = single.Gather([1, 2, 3]);
        Assert.Equal([1, 2, 3], Assert.Single(gathered!));
    }

    [Fact]
    public void RefusesARootOtherThanZero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SingleProcess.Instance.Gather([1], root: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SingleProcess.Instance.Broadcast(new byte[1], root: 1));
    }

    [Fact]
    public void AgreementPassesWhenTheRankIsFine() => RankAgreement.Check(SingleProcess.Instance);

    [Fact]
    public void AgreementOnAFailureNamesTheRankAndCause()
    {
        var cause = new IOException("disk full");
        var failure = Assert.Throws<JobFailedException>(() => RankAgreement.Agree(SingleProcess.Instance, cause));
        Assert.Equal("rank 0 of 1 failed: disk full", failure.Message);
        Assert.Equal([0], failure.Causes.Keys);
        Assert.Same(cause, failure.InnerException);
    }

    [Fact]
    public void AStepRunsAsItIsInAJobOfOne()
    {
        Assert.Equal(3, RankAgreement.Run(SingleProcess.Instance, () => 3));
        // One process has no peer to tell: its exception stays what it was, so single runs keep their messages and exit codes.
        var failure = Assert.Throws<IOException>(() => RankAgreement.Run<int>(SingleProcess.Instance, () => throw new IOException("disk full")));
        Assert.Equal("disk full", failure.Message);
    }
}
