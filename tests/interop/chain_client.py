#!/usr/bin/python3
"""A Python client of the whole chain: proves that a caller outside C++ can
submit reports through Segmenter.SubmitReports and read the comparison back
from the aggregator. Run with Debian's /usr/bin/python3 (python3-grpcio,
python3-protobuf) and the stubs the build generates:

  /usr/bin/python3 tests/interop/chain_client.py --segmenter 127.0.0.1:50051 \
      --aggregator 127.0.0.1:50053 --stubs build/tests/py REPORT.txt...

The reports must include tests/fixtures/corpus/qinghe-2021..2023.txt (the
checked row is theirs). Exits 0 when every check passes, 1 with a message on
the first that fails.
"""
import argparse
import os
import sys
import time


def check(condition, message):
    if not condition:
        print(f"chain_client: FAIL: {message}", file=sys.stderr)
        sys.exit(1)


# grpc.health.v1 by hand: Debian packages no Python health stubs, and the
# two messages are one field each. HealthCheckRequest{service=""} is empty;
# HealthCheckResponse{status=SERVING} is field 1, varint 1.
SERVING = b"\x08\x01"


def wait_serving(channel, name, limit_seconds=30):
    check_health = channel.unary_unary(
        "/grpc.health.v1.Health/Check",
        request_serializer=lambda raw: raw,
        response_deserializer=lambda raw: raw)
    import grpc
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        try:
            if check_health(b"", timeout=5) == SERVING:
                return
        except grpc.RpcError:
            pass  # not up yet
        time.sleep(0.1)
    check(False, f"{name} not SERVING after {limit_seconds} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segmenter", required=True, help="host:port")
    parser.add_argument("--aggregator", required=True, help="host:port")
    parser.add_argument("--stubs", required=True,
                        help="directory with the generated reportpipe/v1 "
                        "modules")
    parser.add_argument("reports", nargs="+", help="report .txt files")
    args = parser.parse_args()

    sys.path.insert(0, args.stubs)
    import grpc
    from reportpipe.v1 import aggregator_pb2, aggregator_pb2_grpc
    from reportpipe.v1 import comparison_pb2, receipt_pb2, report_pb2
    from reportpipe.v1 import segmenter_pb2, segmenter_pb2_grpc

    batch = []
    for path in args.reports:
        with open(path, "rb") as f:
            batch.append(report_pb2.Report(id=os.path.basename(path),
                                           source=path, text=f.read()))
    # A bad report in the middle: it is rejected, the others are stored.
    batch.insert(1, report_pb2.Report(id="bad", text=b"\xe9\x9d\x92\xff"))

    with grpc.insecure_channel(args.segmenter) as seg_channel, \
            grpc.insecure_channel(args.aggregator) as agg_channel:
        # A stage is SERVING once its next stage is reachable: the segmenter
        # SERVING means the extractor answered it.
        wait_serving(seg_channel, "segmenter")
        wait_serving(agg_channel, "aggregator")
        segmenter = segmenter_pb2_grpc.SegmenterStub(seg_channel)
        responses = segmenter.SubmitReports(
            (segmenter_pb2.SubmitReportsRequest(report=r) for r in batch),
            timeout=60)
        receipts = {}
        for response in responses:
            receipt = response.receipt
            check(receipt.report_id not in receipts,
                  f"two receipts for {receipt.report_id}")
            receipts[receipt.report_id] = receipt
        check(len(receipts) == len(batch),
              f"{len(receipts)} receipts for {len(batch)} reports")
        bad = receipts["bad"]
        check(bad.outcome == receipt_pb2.RECEIPT_OUTCOME_REJECTED,
              f"bad report: {receipt_pb2.ReceiptOutcome.Name(bad.outcome)}")
        check(bad.status_code == grpc.StatusCode.INVALID_ARGUMENT.value[0],
              f"bad report: status {bad.status_code}")
        for report in batch:
            if report.id == "bad":
                continue
            receipt = receipts[report.id]
            check(receipt.outcome == receipt_pb2.RECEIPT_OUTCOME_COMMITTED,
                  f"{report.id}: "
                  f"{receipt_pb2.ReceiptOutcome.Name(receipt.outcome)} "
                  f"{receipt.status_message}")
            check(receipt.year in (2021, 2022, 2023) and receipt.region,
                  f"{report.id}: stored as {receipt.region!r} {receipt.year}")

        aggregator = aggregator_pb2_grpc.AggregatorStub(agg_channel)
        compared = aggregator.Compare(aggregator_pb2.CompareRequest(
            region="青禾县", indicator="litigation.loss_rate"), timeout=30)
        rows = {row.year: row for row in compared.rows}
        check(sorted(rows) == [2021, 2022, 2023], f"years {sorted(rows)}")
        for year, want in ((2021, 21.6), (2022, 18.5), (2023, 15.0)):
            check(abs(rows[year].value - want) < 1e-9,
                  f"loss rate {year}: {rows[year].value}, want {want}")
        claims = rows[2022].claims
        check(len(claims) == 1 and
              claims[0].status == comparison_pb2.CLAIM_STATUS_CONSISTENT,
              f"2022 claims: {list(claims)}")
        check(abs(rows[2022].change - -3.1) < 1e-9,
              f"2022 change {rows[2022].change}")
    print(f"chain_client: all checks passed ({len(batch)} reports)")


if __name__ == "__main__":
    main()
