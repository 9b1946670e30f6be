"""A big load's matters are made in generator processes: a chunk made there is the one
made here, so a seed makes the same county however many processes make it."""
import pytest

from demo.cases import CaseGenerator
from demo.generator_processes import generator_pool, make_chunk


@pytest.mark.django_db(transaction=True)  # the processes read the demo county on connections of their own
def test_a_chunk_made_in_a_generator_process_is_the_one_made_here(demo_transactional):
    generator = CaseGenerator(5, pool_size=300, now=1_800_000_000.0)  # 2027-01-15
    times = generator.registration_times(40)
    first, second = [(index, times[20 * index:20 * (index + 1)], list(range(100 + 20 * index, 120 + 20 * index)))
                     for index in (0, 1)]
    here = [generator.chunk(*first), generator.chunk(*second)]
    with generator_pool(2, 5, 300, generator.now) as pool:
        there = [pool.apply(make_chunk, first), pool.apply(make_chunk, second)]
    assert there == here
    assert here[1].case_ids == list(range(120, 140))
    assert here[0].case_lines[0].split(",", 1)[1] != here[1].case_lines[0].split(",", 1)[1]  # a stream each
